#!/usr/bin/env bash
# Makes a Docker-compatible container engine available and prints its address (a DOCKER_HOST value) on stdout;
# what it did goes to stderr, one line each:
#   1. DOCKER_HOST when it is set: it must answer, else a one-line error and exit 1 (the choice is the caller's);
#   2. the default Docker socket (/var/run/docker.sock), when an engine answers on it;
#   3. else podman's Docker-compatible service: podman, runc, netavark, aardvark-dns and docker-compose are installed with
#      apt when missing (as root), and `podman system service` is started in the background on
#      unix:///run/podman/podman.sock with runc and cgroupfs (crun fails here: cgroups v1/hybrid and setrlimit) and
#      netavark's DNS between containers, its pid in .run/podman-service.pid.
# Idempotent: a service it started before and that still answers is reused.
#   bash scripts/container-engine.sh          → e.g. unix:///run/podman/podman.sock
#   bash scripts/container-engine.sh stop     stops the podman service only if this script started it
#   bash scripts/container-engine.sh env      prints the environment podman commands need (CONTAINERS_CONF)
set -euo pipefail
cd "$(dirname "$0")/.."

run_dir=$PWD/.run
pid_file=$run_dir/podman-service.pid
conf=$run_dir/containers.conf
podman_socket=/run/podman/podman.sock
podman_host=unix://$podman_socket

say() { echo "container-engine: $*" >&2; }
fail() { echo "container-engine: $*" >&2; exit 1; }

answers() { DOCKER_HOST=$1 timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

write_conf() {
  mkdir -p "$run_dir"
  # No default ulimits (setrlimit fails in this kind of sandbox), cgroupfs (no systemd to manage cgroups), and netavark with
  # aardvark-dns, so that containers on one network reach each other by name (CNI without dnsname does not).
  printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[network]\nnetwork_backend = "netavark"\n' > "$conf"
}

ours_running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "${1:-start}" in
  stop)
    if ours_running; then
      kill "$(cat "$pid_file")" && say "stopped the podman service it had started (pid $(cat "$pid_file"))"
    else
      say "nothing to stop: no podman service started by this script is running"
    fi
    rm -f "$pid_file"
    exit 0 ;;
  env)
    write_conf
    echo "CONTAINERS_CONF=$conf"
    exit 0 ;;
  start) ;;
  *) fail "usage: container-engine.sh [start|stop|env]" ;;
esac

apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing $* with apt-get"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || fail "apt-get could not install $*"
}

# The docker CLI talks to either engine (Debian's docker.io brings it; its daemon is not used).
command -v docker >/dev/null 2>&1 || apt_install docker.io || fail "the docker CLI is missing and cannot be installed here (needs root and apt): install docker-ce-cli or docker.io"

if [ -n "${DOCKER_HOST:-}" ]; then
  answers "$DOCKER_HOST" || fail "DOCKER_HOST=$DOCKER_HOST does not answer (is the engine running? unset DOCKER_HOST to let this script start podman)"
  say "using the engine at DOCKER_HOST=$DOCKER_HOST"
  echo "$DOCKER_HOST"
  exit 0
fi

if [ -S /var/run/docker.sock ] && answers unix:///var/run/docker.sock; then
  say "using the Docker engine at unix:///var/run/docker.sock"
  echo unix:///var/run/docker.sock
  exit 0
fi
[ -S /var/run/docker.sock ] && say "unix:///var/run/docker.sock is there but does not answer: starting podman instead"

if ours_running && answers "$podman_host"; then
  say "reusing the podman service started before (pid $(cat "$pid_file")) at $podman_host"
  echo "$podman_host"
  exit 0
fi
if [ -S "$podman_socket" ] && answers "$podman_host"; then
  say "using the podman service already answering at $podman_host"
  echo "$podman_host"
  exit 0
fi

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /usr/lib/podman/netavark ] || command -v netavark >/dev/null 2>&1 || need+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || command -v aardvark-dns >/dev/null 2>&1 || need+=(aardvark-dns)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[@]}" || fail "no container engine answers and ${need[*]} cannot be installed here (needs root and apt); install Docker or podman"
fi

write_conf
mkdir -p "$(dirname "$podman_socket")"
rm -f "$podman_socket"
# Docker image format: it keeps HEALTHCHECK, which the OCI format drops.
CONTAINERS_CONF=$conf BUILDAH_FORMAT=docker nohup podman --runtime runc system service --time=0 "$podman_host" > "$run_dir/podman-service.log" 2>&1 &
echo $! > "$pid_file"
for _ in $(seq 1 100); do
  answers "$podman_host" && { say "started podman's Docker-compatible service (pid $(cat "$pid_file")) at $podman_host"; echo "$podman_host"; exit 0; }
  kill -0 "$(cat "$pid_file")" 2>/dev/null || break
  sleep 0.2
done
fail "podman's service did not answer at $podman_host (log: $run_dir/podman-service.log: $(tail -n 1 "$run_dir/podman-service.log" 2>/dev/null))"
