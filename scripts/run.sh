#!/usr/bin/env bash
# `make run` / `make demo` (SPEC §8): a local nats-server with JetStream (unless NATS_URL is set), then the
# ingestor, parser and edge as local processes, logs under .run/. With --demo, the CT log simulator
# stands in for the live logs (fully offline). Ctrl-C or SIGTERM stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=false
[ "${1:-}" = "--demo" ] && demo=true
config=${CONFIG:-config.yaml}
run_dir=.run
mkdir -p "$run_dir"

say() { printf '%s run: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Build once, then run the built assemblies directly (no per-service `dotnet run` rebuilds).
say "building (Release)"
dotnet build certstream-nats.slnx -c Release -nologo -v q >"$run_dir/build.log" 2>&1 || { cat "$run_dir/build.log"; exit 1; }
bin() { echo "$1/bin/Release/net10.0/$2.dll"; }
ingestor=$(bin services/ingestor Certstream.Ingestor)
parser=$(bin services/parser Certstream.Parser)
edge=$(bin services/edge Certstream.Edge)
sim=$(bin tools/ctlog-sim Certstream.CtLogSim)

pids=()
stop() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping ${#pids[@]} processes"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  say "stopped"
}
trap stop INT TERM EXIT

if $demo; then
  sim_port=${SIM_PORT:-8090}
  export CERTSTREAM_GENERAL_LOG_LIST_URL="http://127.0.0.1:${sim_port}/log_list.json"
  export CERTSTREAM_GENERAL_START_AT=0
fi

# A broken config stops here, with the service's own message, before anything starts (exit code 2).
for svc in "$ingestor" "$parser" "$edge"; do
  dotnet "$svc" -c "$config" validate >/dev/null
done

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
  "$nats_bin" -js -a 127.0.0.1 -p "$nats_port" -m "${NATS_MONITOR_PORT:-8222}" -sd "$run_dir/jetstream" >"$run_dir/nats-server.log" 2>&1 &
  pids+=($!)
  export CERTSTREAM_NATS_URL="nats://127.0.0.1:${nats_port}"
  for _ in $(seq 1 100); do
    grep -q "Server is ready" "$run_dir/nats-server.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$run_dir/nats-server.log"; exit 1; }
    sleep 0.1
  done
  say "nats-server on $CERTSTREAM_NATS_URL (log: $run_dir/nats-server.log)"
else
  export CERTSTREAM_NATS_URL="$NATS_URL"
  say "using NATS at $NATS_URL"
fi

if $demo; then
  dotnet "$sim" --port "$sim_port" --rfc6962-logs 2 --tiled-logs 2 --rate "${SIM_RATE:-20}" --seed 1 >"$run_dir/ctlog-sim.log" 2>&1 &
  pids+=($!)
  say "CT log simulator on http://127.0.0.1:${sim_port}/log_list.json (log: $run_dir/ctlog-sim.log)"
fi

for svc in ingestor parser edge; do
  dll=${!svc}
  dotnet "$dll" -c "$config" >"$run_dir/$svc.log" 2>&1 &
  pids+=($!)
  say "$svc started (log: $run_dir/$svc.log)"
done

port=${CERTSTREAM_WEBSERVER_LISTEN_PORT:-8080}
say "WebSocket streams: ws://127.0.0.1:${port}/ (lite)  ws://127.0.0.1:${port}/full-stream  ws://127.0.0.1:${port}/domains-only"
say "Ctrl-C stops everything"
# Any child exiting ends the run (and stops the rest), so a crash is never silent.
wait -n "${pids[@]}" || true
say "a process exited; see $run_dir/*.log"
