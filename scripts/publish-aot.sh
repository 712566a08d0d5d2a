#!/usr/bin/env bash
# `make aot`: publishes the ingestor, the parser, the edge and the simulator as Native AOT executables (no .NET runtime
# needed to run them) into artifacts/aot/<service>/ (AOT_OUT changes the folder). Needs a C toolchain for the native
# link (clang or gcc, and zlib1g-dev): installed with apt when missing (as root). Prints the folder on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${AOT_OUT:-$PWD/artifacts/aot}
say() { echo "publish-aot: $*" >&2; }
fail() { echo "publish-aot: $*" >&2; exit 1; }

need=()
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || fail "Native AOT needs ${need[*]}; install them (apt-get install ${need[*]})"
  say "installing ${need[*]} with apt-get"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || fail "apt-get could not install ${need[*]}"
fi

mkdir -p "$out"
for project in services/ingestor services/parser services/edge tools/ctlog-sim; do
  name=$(basename "$project")
  log=$out/$name.publish.log
  # One at a time: the native compiler uses every core.
  if ! dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out/$name" -nologo > "$log" 2>&1; then
    fail "publishing $project failed (log: $log: $(grep -m1 -E 'error' "$log" || tail -n 1 "$log"))"
  fi
  rm -f "$out/$name"/*.dbg "$out/$name"/*.pdb
  say "$name: $(du -m "$out/$name" | tail -n 1 | cut -f1) MB in $out/$name"
done
echo "$out"
