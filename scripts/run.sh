#!/usr/bin/env bash
# `make run` / `make demo` (README "Quick start"): a local nats-server with JetStream (unless NATS_URL is set), then the
# ingestor, parser and edge as local processes, logs under .run/. With --demo, the CT log simulator
# stands in for the live logs (fully offline). Ctrl-C or SIGTERM stops everything this script started.
#
# Environment (all optional):
#   CONFIG            config file (default config.yaml)
#   NATS_URL          use this NATS instead of starting one
#   NATS_PORT, NATS_MONITOR_PORT        the local nats-server's ports (4222, 8222)
#   NATS_GOMEMLIMIT                     the local nats-server's soft memory limit (96MiB; README "Memory")
#   SIM_PORT, SIM_RATE                  demo: the simulator's port (8090) and entries/s per log (20)
#   CERTSTREAM_*      any config key, e.g. CERTSTREAM_WEBSERVER_LISTEN_PORT, CERTSTREAM_INGESTOR_METRICS_PORT,
#                     CERTSTREAM_PARSER_METRICS_PORT (read by the services themselves)
#   RUN_DIR           logs and the JetStream store (default .run)
#   RUN_BUILD         aot (default): the Native AOT executables of scripts/publish-aot.sh (artifacts/aot; the first
#                     publish takes a few minutes, later ones seconds), a fraction of the memory and start-up time;
#                     jit: the assemblies of `dotnet build`, run with dotnet
#   RUN_CONFIGURATION Release (default) or Debug, for RUN_BUILD=jit;  RUN_SKIP_BUILD=1 uses what is already built
set -euo pipefail
cd "$(dirname "$0")/.."

demo=false
[ "${1:-}" = "--demo" ] && demo=true
config=${CONFIG:-config.yaml}
run_dir=${RUN_DIR:-.run}
configuration=${RUN_CONFIGURATION:-Release}
build=${RUN_BUILD:-aot}
case "$build" in aot|jit) ;; *) echo "run: RUN_BUILD=$build: expected aot or jit" >&2; exit 2 ;; esac
mkdir -p "$run_dir"

say() { printf '%s run: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if [ ! -f "$config" ]; then
  echo "run: $config: config file not found" >&2
  exit 2
fi

# Build once, then run the built programs directly (no per-service `dotnet run` rebuilds).
if [ "${RUN_SKIP_BUILD:-0}" != 1 ]; then
  if [ "$build" = aot ]; then
    say "publishing the Native AOT executables (log: $run_dir/build.log)"
    bash scripts/publish-aot.sh >/dev/null 2>"$run_dir/build.log" || { cat "$run_dir/build.log"; exit 1; }
  else
    say "building ($configuration)"
    dotnet build certstream-nats.slnx -c "$configuration" -nologo -v q >"$run_dir/build.log" 2>&1 || { cat "$run_dir/build.log"; exit 1; }
  fi
fi
if [ "$build" = aot ]; then
  bin() { echo "artifacts/aot/$(basename "$1")/$2"; }
else
  bin() { echo "$1/bin/$configuration/net10.0/$2.dll"; }
fi
ingestor=$(bin services/ingestor Certstream.Ingestor)
parser=$(bin services/parser Certstream.Parser)
edge=$(bin services/edge Certstream.Edge)
sim=$(bin tools/ctlog-sim Certstream.CtLogSim)
for program in "$ingestor" "$parser" "$edge" "$sim"; do
  [ -f "$program" ] || { echo "run: $program is not built (run without RUN_SKIP_BUILD, or make aot / make build)" >&2; exit 1; }
done
# A program of either build: an assembly runs under dotnet, an executable by itself. It replaces the shell it runs in
# (a background job's subshell, so $! is the program's pid; call it in ( ) otherwise).
launch() { case "$1" in *.dll) exec dotnet "$@" ;; *) exec "$@" ;; esac; }

if $demo; then
  sim_port=${SIM_PORT:-8090}
  export CERTSTREAM_GENERAL_LOG_LIST_URL="http://127.0.0.1:${sim_port}/log_list.json"
  export CERTSTREAM_GENERAL_START_AT=0
fi

# A broken config stops here, with the service's own message, before anything starts (exit code 2).
for program in "$ingestor" "$parser" "$edge"; do
  status=0
  (launch "$program" -c "$config" validate) >/dev/null || status=$?
  [ "$status" = 0 ] || exit "$status"
done

pids=()
names=()
stopping=false
# SIGTERM to each of the given pids, then wait up to $1 tenths of a second for them; kill what is left.
terminate() {
  local tenths=$1; shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for _ in $(seq 1 "$tenths"); do
    local alive=false
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || return 0
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    for pid in "$@"; do
      if [ "${pids[i]}" = "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        say "${names[i]} did not stop in $((tenths / 10)) s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
}
stop() {
  $stopping && return
  stopping=true
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping ${#pids[@]} processes"
    # The services first, so they drain and save checkpoints while NATS is still there (the ingestor
    # may take up to 20 s); then the simulator and nats-server.
    local services=() others=()
    for i in "${!pids[@]}"; do
      case ${names[i]} in ingestor|parser|edge) services+=("${pids[i]}") ;; *) others+=("${pids[i]}") ;; esac
    done
    terminate 250 "${services[@]}"
    terminate 100 "${others[@]}"
    wait 2>/dev/null || true
  fi
  say "stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

started() { pids+=("$1"); names+=("$2"); }

# The "started, listening on http://…:PORT" line a service logs once its HTTP server is up.
listen_port() {
  local log=$1
  for _ in $(seq 1 300); do
    local port
    port=$(sed -n 's/.* started, listening on https\?:\/\/[^ ]*:\([0-9][0-9]*\)[,/ ].*/\1/p' "$log" 2>/dev/null | head -n 1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  return 1
}

if [ -z "${NATS_URL:-}" ]; then
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing nats-server with apt-get"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
    else
      echo "run: nats-server is not installed; install it (sudo apt-get install nats-server) or set NATS_URL" >&2
      exit 1
    fi
  fi
  nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  nats_port=${NATS_PORT:-4222}
  # A soft limit on the Go heap: nats-server otherwise keeps what a catch-up grew it to (README "Memory").
  GOMEMLIMIT=${NATS_GOMEMLIMIT:-96MiB} "$nats_bin" -js -a 127.0.0.1 -p "$nats_port" -m "${NATS_MONITOR_PORT:-8222}" -sd "$run_dir/jetstream" >"$run_dir/nats-server.log" 2>&1 &
  started $! nats-server
  export CERTSTREAM_NATS_URL="nats://127.0.0.1:${nats_port}"
  ready=false
  for _ in $(seq 1 100); do
    grep -q "Server is ready" "$run_dir/nats-server.log" && { ready=true; break; }
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  $ready || { cat "$run_dir/nats-server.log" >&2; echo "run: nats-server did not start" >&2; exit 1; }
  say "nats-server on $CERTSTREAM_NATS_URL (log: $run_dir/nats-server.log)"
else
  export CERTSTREAM_NATS_URL="$NATS_URL"
  say "using NATS at $NATS_URL"
fi

if $demo; then
  launch "$sim" --host 127.0.0.1 --port "$sim_port" --rfc6962-logs 2 --tiled-logs 2 --rate "${SIM_RATE:-20}" --seed 1 --cross-log-ratio 0.3 >"$run_dir/ctlog-sim.log" 2>&1 &
  started $! ctlog-sim
  for _ in $(seq 1 300); do
    grep -q "^LOG_LIST_URL " "$run_dir/ctlog-sim.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$run_dir/ctlog-sim.log" >&2; exit 1; }
    sleep 0.1
  done
  say "CT log simulator: $(grep -c '^LOG ' "$run_dir/ctlog-sim.log") logs at $CERTSTREAM_GENERAL_LOG_LIST_URL (log: $run_dir/ctlog-sim.log)"
fi

for svc in ingestor parser edge; do
  launch "${!svc}" -c "$config" >"$run_dir/$svc.log" 2>&1 &
  started $! "$svc"
  say "$svc started, pid $! (log: $run_dir/$svc.log)"
done

# Readiness (connected to NATS, subscribed): reported, not required; a service without NATS keeps retrying.
declare -A ports=() ready=()
for svc in ingestor parser edge; do
  port=$(listen_port "$run_dir/$svc.log") || { say "$svc has not started listening; see $run_dir/$svc.log"; continue; }
  ports[$svc]=$port
done
edge_port=${ports[edge]:-}
for _ in $(seq 1 60); do
  waiting=false
  for svc in "${!ports[@]}"; do
    [ -n "${ready[$svc]:-}" ] && continue
    if curl -fsS -m 1 -o /dev/null "http://127.0.0.1:${ports[$svc]}/readyz" 2>/dev/null; then ready[$svc]=1; else waiting=true; fi
  done
  $waiting || break
  sleep 0.1
done
for svc in ingestor parser edge; do
  [ -n "${ports[$svc]:-}" ] || continue
  if [ -n "${ready[$svc]:-}" ]; then say "$svc ready (http://127.0.0.1:${ports[$svc]}/readyz)"
  else say "$svc not ready yet (http://127.0.0.1:${ports[$svc]}/readyz; NATS unreachable?); it keeps retrying"; fi
done

if [ -n "${edge_port:-}" ]; then
  base="ws://127.0.0.1:${edge_port}"
  say "WebSocket streams: ${base}${CERTSTREAM_WEBSERVER_LITE_URL:-/} (lite)  ${base}${CERTSTREAM_WEBSERVER_FULL_URL:-/full-stream} (full)  ${base}${CERTSTREAM_WEBSERVER_DOMAINS_ONLY_URL:-/domains-only} (domains-only)"
  say "JSON: http://127.0.0.1:${edge_port}/example.json  http://127.0.0.1:${edge_port}/stats"
fi
say "Ctrl-C stops everything"
# Any child exiting ends the run (and stops the rest), so a crash is never silent.
status=0
wait -n "${pids[@]}" || status=$?
for i in "${!pids[@]}"; do
  kill -0 "${pids[i]}" 2>/dev/null || say "${names[i]} exited; see $run_dir/${names[i]}.log"
done
exit $(( status == 0 ? 1 : status ))
