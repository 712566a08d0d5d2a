#!/usr/bin/env bash
# Installs what the tests and `make run` need when it is missing: nats-server (JetStream), promtool and chromium
# (the live page's browser tests) from Debian, and the npm packages of the Node tests (pinned by
# tests/node/package-lock.json; installed again whenever the lock file changes).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
[ -x /usr/bin/chromium ] || need+=(chromium)
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

stamp=tests/node/node_modules/.installed-from-lock
if [ -f tests/node/package-lock.json ] && ! cmp -s tests/node/package-lock.json "$stamp"; then
  echo "deps: npm ci in tests/node"
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
  cp tests/node/package-lock.json "$stamp"
fi
