#!/usr/bin/env bash
# Installs what the tests and `make run` need when it is missing: nats-server (JetStream) and promtool
# from Debian, and the npm packages of the Node interop tests (pinned by tests/node/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "deps: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

if [ -f tests/node/package-lock.json ] && [ ! -d tests/node/node_modules ]; then
  echo "deps: npm ci in tests/node"
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
fi
