#!/usr/bin/env bash
# The README's test command (make test): builds once, runs every test project, and closes with
# one summary line "N passed, N failed, N skipped" and one saying whether the container tests ran.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
mkdir -p .run
log=.run/test.log

# The container tests (tests/Containers.Tests) need an engine and the images: made available where they can be (Docker,
# or podman started here), else the tests are skipped with the reason, which the summary repeats.
container_tests="ran"
if engine=$(bash scripts/container-engine.sh 2> >(tee .run/container-engine.log >&2)); then
  export DOCKER_HOST=$engine TESTCONTAINERS_RYUK_DISABLED=true
  trap 'bash scripts/container-engine.sh stop 2>/dev/null || true' EXIT
  if images=$(bash scripts/container-images.sh 2> >(tee .run/container-images.log >&2)); then
    while IFS='=' read -r key value; do export "$key=$value"; done <<< "$images"
  else
    container_tests="skipped: the images could not be built ($(tail -n 1 .run/container-images.log))"
  fi
else
  container_tests="skipped: no container engine ($(tail -n 1 .run/container-engine.log))"
fi
[ "$container_tests" = ran ] || export CERTSTREAM_CONTAINER_TESTS_SKIP="${container_tests#skipped: }"

dotnet build certstream-nats.slnx -c Release -nologo -v q
# The shipped build: the services as Native AOT executables (artifacts/aot), for the second pass below.
bash scripts/publish-aot.sh >/dev/null
set +e
# One test assembly at a time (-m:1): several suites start nats-server, simulators and service processes, and
# timing-based tests (keepalives, lease renewals) must not starve each other on a 2-core machine.
dotnet test certstream-nats.slnx -c Release --no-build -nologo -m:1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Second pass: the tests that run the services as processes (all of EndToEnd, the ServiceProcess category
# elsewhere), now running the AOT executables. dotnet test takes one project per call.
for suite in EndToEnd Hosting Ingestor Parser; do
  filter=()
  [ "$suite" = EndToEnd ] || filter=(--filter Category=ServiceProcess)
  CERTSTREAM_TEST_SERVICE_BUILD=aot dotnet test "tests/$suite.Tests" -c Release --no-build -nologo "${filter[@]}" 2>&1 \
    | sed 's/^\(Passed!\|Failed!\) *-/\1 (aot) -/' | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done
set -e
# Sum the per-assembly lines: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total: ..."
awk '/Failed: *[0-9]+, Passed: *[0-9]+, Skipped: *[0-9]+/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
echo "container tests: $container_tests"
exit "$status"
