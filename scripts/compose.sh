#!/usr/bin/env bash
# `make compose-demo` / `make compose-down`: the demo profile of docker-compose.yml (NATS, the simulator, the ingestor,
# two parsers, the edge) in containers, on whatever engine scripts/container-engine.sh finds or starts.
#   compose.sh up     makes an engine available, builds the images (scripts/container-images.sh), starts the demo in
#                     the background, waits until every service is healthy and prints the edge's WebSocket URL
#   compose.sh down   stops and removes the demo's containers, network and JetStream volume: the simulated logs end with
#                     their container, so checkpoints into them would only hold the next `up` back until the new
#                     simulator's logs grew past them (with live logs, `docker compose down` keeps the volume and `up`
#                     resumes from the checkpoints)
# EDGE_PORT (default 8080) is the edge's published port; COMPOSE_PROJECT_NAME (default certstream) the compose project;
# COMPOSE_ENV_FILE (default docker/demo.env) the env file: docker/demo-cluster.env runs the demo on three NATS nodes.
# Every failure is one line, and leaves no container behind.
set -euo pipefail
cd "$(dirname "$0")/.."

project=${COMPOSE_PROJECT_NAME:-certstream}
env_file=${COMPOSE_ENV_FILE:-docker/demo.env}
run_dir=$PWD/.run
mkdir -p "$run_dir"
say() { echo "compose: $*" >&2; }
fail() { echo "compose: $*" >&2; exit 1; }
[ -f "$env_file" ] || fail "no env file $env_file"

DOCKER_HOST=$(bash scripts/container-engine.sh) || exit 1
export DOCKER_HOST

# docker compose v2 when the CLI has the plugin; else docker-compose v1, which needs --compatibility for deploy.replicas.
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -p "$project" --env-file "$env_file")
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose --compatibility -p "$project" --env-file "$env_file")
else
  fail "neither docker compose nor docker-compose is installed"
fi

# The engine is podman when its socket is podman's: podman runs health checks only from systemd timers, which this kind
# of machine may not have, so this script runs them (compose waits for healthy NATS before the other services).
is_podman() { [ "$DOCKER_HOST" = unix:///run/podman/podman.sock ] && command -v podman >/dev/null 2>&1; }
podman_cmd() { env "$(bash scripts/container-engine.sh env)" podman "$@"; }

containers() { docker ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'; }

# 0 when every container of the project is healthy.
all_healthy() {
  local names name unhealthy=0
  names=$(containers)
  [ -n "$names" ] || return 1
  for name in $names; do
    if is_podman; then
      podman_cmd healthcheck run "$name" >/dev/null 2>&1 || unhealthy=1
    else
      [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}healthy{{end}}' "$name" 2>/dev/null)" = healthy ] || unhealthy=1
    fi
  done
  return $unhealthy
}

# Every profile, so that a cluster started with another env file goes too (the shell's COMPOSE_PROFILES wins over the file's).
down() { COMPOSE_PROFILES=demo,cluster,monitoring "${compose[@]}" down --remove-orphans --volumes > "$run_dir/compose-down.log" 2>&1; }

case "${1:-up}" in
  down)
    down || fail "compose down failed (log: $run_dir/compose-down.log)"
    say "stopped and removed the demo's containers, its network and its JetStream volume"
    exit 0 ;;
  up) ;;
  *) fail "usage: compose.sh up|down" ;;
esac

port=${EDGE_PORT:-8080}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "port $port is taken on this machine; choose another with EDGE_PORT=<port> make compose-demo"
fi

while IFS='=' read -r key value; do
  export "$key=$value"
done < <(bash scripts/container-images.sh) || fail "the images could not be built"
[ -n "${CERTSTREAM_IMAGE:-}" ] || fail "the images could not be built"
export EDGE_PORT=$port

say "starting NATS ($env_file), the simulator, the ingestor, two parsers and the edge (log: $run_dir/compose-up.log)"
"${compose[@]}" up -d --no-build > "$run_dir/compose-up.log" 2>&1 &
up_pid=$!
deadline=$((SECONDS + 300))
up_done=0
until [ $up_done = 1 ] && all_healthy; do
  if [ $up_done = 0 ] && ! kill -0 "$up_pid" 2>/dev/null; then
    up_done=1
    if ! wait "$up_pid"; then
      down || true
      fail "compose up failed; removed what it had started ($(grep -m1 -iE 'error|failed' "$run_dir/compose-up.log" || tail -n 1 "$run_dir/compose-up.log"))"
    fi
    continue
  fi
  if [ $SECONDS -gt $deadline ]; then
    kill "$up_pid" 2>/dev/null || true
    down || true
    fail "the services were not healthy within 300 s; removed them again (log: $run_dir/compose-up.log)"
  fi
  # While compose waits for a healthy NATS, the health checks must run.
  [ $up_done = 0 ] && is_podman && { all_healthy || true; }
  sleep 2
done
say "every service is healthy: $(containers | tr '\n' ' ')"
echo "edge: ws://127.0.0.1:$port/  (full stream ws://127.0.0.1:$port/full-stream, domains ws://127.0.0.1:$port/domains-only)"
