#!/bin/sh
# Chooses the service by the first argument; the rest goes to it. Services read /etc/certstream/config.yaml
# (the image's copy of config.yaml, or a mounted file) with CERTSTREAM_<SECTION>_<KEY> variables on top.
set -e
config=/etc/certstream/config.yaml

service=${1:-edge}
[ $# -gt 0 ] && shift
case "$service" in
  ingestor)  exec /app/ingestor/Certstream.Ingestor -c "$config" "$@" ;;
  parser)    exec /app/parser/Certstream.Parser -c "$config" "$@" ;;
  edge)      exec /app/edge/Certstream.Edge -c "$config" "$@" ;;
  ctlog-sim)
    # Bind every interface; the compose file passes --public-url so the log list names URLs other
    # containers can reach (http://ctlog-sim:8090/...).
    exec /app/ctlog-sim/Certstream.CtLogSim --host 0.0.0.0 "$@" ;;
  healthcheck)
    # HTTP probe for health checks (the runtime image has no curl or wget):
    # healthcheck <port> [path] [host]; succeeds on a 200 answer.
    # healthcheck auto: the image's HEALTHCHECK; probes the service running as PID 1 on its port.
    if [ "${1:-}" = auto ]; then
      cmdline=$(tr '\0' ' ' < /proc/1/cmdline)
      case "$cmdline" in
        */Certstream.Ingestor\ *|*/Certstream.Ingestor) set -- "${CERTSTREAM_INGESTOR_METRICS_PORT:-9101}" /readyz ;;
        */Certstream.Parser\ *|*/Certstream.Parser)   set -- "${CERTSTREAM_PARSER_METRICS_PORT:-9102}" /readyz ;;
        */Certstream.Edge\ *|*/Certstream.Edge)     set -- "${CERTSTREAM_WEBSERVER_LISTEN_PORT:-8080}" /readyz ;;
        */Certstream.CtLogSim\ *|*/Certstream.CtLogSim)
          # Its port is the --port argument (default 8090).
          port=$(echo "$cmdline" | sed -n 's/.*--port \([0-9]*\).*/\1/p')
          set -- "${port:-8090}" /log_list.json ;;
        *) echo "healthcheck: no known service runs as PID 1 ($cmdline)" >&2; exit 1 ;;
      esac
    fi
    port=${1:?usage: healthcheck <port> [path] [host]}
    path=${2:-/healthz}
    host=${3:-127.0.0.1}
    exec bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3 && head -n1 <&3 | grep -q " 200 "' \
      "$host" "$port" "$path" ;;
  *) echo "usage: entrypoint.sh ingestor|parser|edge|ctlog-sim [args] | healthcheck <port> [path] [host] | healthcheck auto" >&2; exit 2 ;;
esac
