# certstream-nats — see README.md ("Quick start") for these targets.
CONFIG ?= config.yaml
SLN := certstream-nats.slnx

.PHONY: build test run demo bench fuzz deps clean compose-demo compose-cluster compose-down images aot

build:
	dotnet build $(SLN) -c Release -nologo

test:
	bash scripts/test.sh

deps:
	bash scripts/deps.sh

# The services and the simulator as Native AOT executables in artifacts/aot/<service>/ (what the image ships).
aot:
	bash scripts/publish-aot.sh

# Live CT logs, with the Native AOT executables (RUN_BUILD=jit: dotnet build instead); CONFIG=file picks the config.
# Ports and more: see the header of scripts/run.sh.
run:
	CONFIG=$(CONFIG) bash scripts/run.sh

# The same, offline, against the CT log simulator; prints the WebSocket URLs.
demo:
	CONFIG=$(CONFIG) bash scripts/run.sh --demo

# Installs what the benchmarks need (nats-server, the npm peers) as `make test` does, then runs them.
# The demo in containers (docker-compose.yml, profile demo) on the Docker engine found, or podman started here;
# prints the edge's WebSocket URL. EDGE_PORT=<port> picks the published port.
compose-demo:
	bash scripts/compose.sh up

# The same demo on three clustered NATS nodes with replicas 3 (profile cluster, docker/demo-cluster.env).
compose-cluster:
	COMPOSE_ENV_FILE=docker/demo-cluster.env bash scripts/compose.sh up

compose-down:
	bash scripts/compose.sh down

# The image (and, where no registry can be reached, local base images) on the engine of scripts/container-engine.sh.
images:
	DOCKER_HOST=$$(bash scripts/container-engine.sh) bash scripts/container-images.sh

bench:
	bash scripts/deps.sh
	bash scripts/publish-aot.sh >/dev/null
	dotnet run --project bench/Bench -c Release -- $(BENCH_ARGS)

# Long mutation fuzzing (>= 100,000 cases per decoder); the default suite runs a few thousand.
fuzz:
	CERTSTREAM_LONG_TESTS=1 dotnet test tests/Parser.Tests -c Release --filter Category=Long -nologo
	CODEC_FUZZ_ITERATIONS=100000 dotnet test tests/Contracts.Tests -c Release --filter FullyQualifiedName~RawEntryCodecFuzzTests -nologo

clean:
	dotnet clean $(SLN) -nologo -v q
	rm -rf .run artifacts
