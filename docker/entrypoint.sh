#!/bin/sh
# Chooses the service by the first argument; the rest goes to it. Config defaults to the image's copy,
# overridable by mounting a file and passing -c, or by CERTSTREAM_<SECTION>_<KEY> variables.
set -e
service=${1:-edge}
[ $# -gt 0 ] && shift
case "$service" in
  ingestor)  exec dotnet /app/ingestor/Certstream.Ingestor.dll -c /etc/certstream/config.yaml "$@" ;;
  parser)    exec dotnet /app/parser/Certstream.Parser.dll -c /etc/certstream/config.yaml "$@" ;;
  edge)      exec dotnet /app/edge/Certstream.Edge.dll -c /etc/certstream/config.yaml "$@" ;;
  ctlog-sim) exec dotnet /app/ctlog-sim/Certstream.CtLogSim.dll "$@" ;;
  healthcheck)
    # Tiny HTTP probe for compose health checks (the runtime image has no curl): healthcheck <port> [path]
    exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' && printf "GET '"${2:-/healthz}"' HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n1 <&3 | grep -q " 200 "' ;;
  *) echo "usage: ingestor|parser|edge|ctlog-sim|healthcheck <port> [path]" >&2; exit 2 ;;
esac
