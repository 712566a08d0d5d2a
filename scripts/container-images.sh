#!/usr/bin/env bash
# Builds the images the containers run, with the engine that DOCKER_HOST names (scripts/container-engine.sh prints it),
# and prints what the caller needs as KEY=VALUE lines on stdout (what it did goes to stderr):
#   CERTSTREAM_IMAGE  the project's image (Dockerfile), certstream-nats:latest
#   NATS_IMAGE        nats:2.9-alpine when it is there or can be pulled, else certstream-local/nats:2.9
#   SDK_IMAGE, RUNTIME_IMAGE  the Dockerfile's base images: Microsoft's official ones when they are there or can be
#                     pulled, else local ones built here from Debian's packages and this machine's .NET
# The local base images are built once and kept by the engine (FORCE_BASE_IMAGES=1 rebuilds them):
#   certstream-local/debian:bookworm   debootstrap (minbase) with ca-certificates, libssl3, libstdc++6 and wget
#   certstream-local/runtime-deps:10.0 + user app (UID 1654) as in Microsoft's images: what the Native AOT programs
#                                      need (libc, OpenSSL, CA certificates), no .NET runtime
#   certstream-local/dotnet-sdk:10.0   + this machine's .NET SDK and CA bundle (NuGet restores through this machine's network)
#   certstream-local/nats:2.9          + this machine's nats-server (Debian's 2.9)
# Needs root, debootstrap and a Debian mirror only when local base images have to be built. A failure is one line on
# stderr (the build log is in .run/) and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

run_dir=$PWD/.run
mkdir -p "$run_dir"
say() { echo "container-images: $*" >&2; }
fail() { echo "container-images: $*" >&2; exit 1; }

[ -n "${DOCKER_HOST:-}" ] || fail "DOCKER_HOST is not set (run: export DOCKER_HOST=\$(bash scripts/container-engine.sh))"
docker version >/dev/null 2>&1 || fail "the engine at DOCKER_HOST=$DOCKER_HOST does not answer"

official_sdk=mcr.microsoft.com/dotnet/sdk:10.0
official_runtime=mcr.microsoft.com/dotnet/runtime-deps:10.0
official_nats=nats:2.9-alpine
local_debian=certstream-local/debian:bookworm
local_runtime=certstream-local/runtime-deps:10.0
local_sdk=certstream-local/dotnet-sdk:10.0
local_nats=certstream-local/nats:2.9
project_image=${CERTSTREAM_IMAGE:-certstream-nats:latest}

have() { docker image inspect "$1" >/dev/null 2>&1; }
# There already, or pulled within a short wait (no registry answers in some sandboxes).
available() { have "$1" || timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

rootfs=${CERTSTREAM_ROOTFS_DIR:-/var/tmp/certstream-rootfs}
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")

# The Debian root file system (kept in $rootfs for the other base images) and its image.
build_debian() {
  if [ -d "$rootfs/debian/etc" ] && [ -z "${FORCE_BASE_IMAGES:-}" ]; then
    have "$local_debian" || tar -C "$rootfs/debian" -c . | docker import --change 'CMD ["/bin/bash"]' - "$local_debian" >/dev/null
    return 0
  fi
  [ "$(id -u)" = 0 ] || fail "building $local_debian needs root (debootstrap)"
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null || fail "apt-get could not install debootstrap"
  }
  local mirror
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  mirror=${mirror:-http://deb.debian.org/debian}
  say "building $local_debian with debootstrap from $mirror"
  rm -rf "$rootfs/debian"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates,libssl3,libstdc++6,wget bookworm "$rootfs/debian" "$mirror" > "$run_dir/debootstrap.log" 2>&1 \
    || fail "debootstrap failed (log: $run_dir/debootstrap.log: $(tail -n 1 "$run_dir/debootstrap.log"))"
  rm -rf "$rootfs/debian/var/cache/apt/archives/"*.deb "$rootfs/debian/var/lib/apt/lists/"*
  tar -C "$rootfs/debian" -c . | docker import --change 'CMD ["/bin/bash"]' - "$local_debian" >/dev/null
}

# A staging copy of the Debian root file system (hard links: cheap; files to change are replaced, never edited in place),
# with the user app (UID 1654) as in Microsoft's images.
stage() {
  local dir=$rootfs/stage-$1
  rm -rf "$dir"
  cp -al "$rootfs/debian" "$dir"
  for f in passwd group; do
    rm "$dir/etc/$f"
    cp "$rootfs/debian/etc/$f" "$dir/etc/$f"
  done
  echo 'app:x:1654:1654::/home/app:/usr/sbin/nologin' >> "$dir/etc/passwd"
  echo 'app:x:1654:' >> "$dir/etc/group"
  mkdir -p "$dir/home/app"
  chown 1654:1654 "$dir/home/app"
  echo "$dir"
}

build_runtime() {
  have "$local_runtime" && [ -z "${FORCE_BASE_IMAGES:-}" ] && return 0
  build_debian
  say "building $local_runtime from $local_debian"
  local dir
  dir=$(stage runtime)
  tar -C "$dir" -c . | docker import --change 'ENV APP_UID=1654' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'CMD ["/bin/bash"]' - "$local_runtime" >/dev/null
  rm -rf "$dir"
}

build_sdk() {
  have "$local_sdk" && [ -z "${FORCE_BASE_IMAGES:-}" ] && return 0
  build_debian
  say "building $local_sdk from $local_debian and the .NET SDK in $dotnet_root"
  local dir
  dir=$(stage sdk)
  cp -a "$dotnet_root" "$dir/usr/share/dotnet"
  ln -s /usr/share/dotnet/dotnet "$dir/usr/bin/dotnet"
  # This machine's CA bundle: NuGet reaches its package source the way this machine does.
  rm -f "$dir/etc/ssl/certs/ca-certificates.crt"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  tar -C "$dir" -c . | docker import --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1' --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' \
    --change 'ENV DOTNET_NOLOGO=1' --change "ENV NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}" \
    --change 'CMD ["/bin/bash"]' - "$local_sdk" >/dev/null
  rm -rf "$dir"
}

build_nats() {
  have "$local_nats" && [ -z "${FORCE_BASE_IMAGES:-}" ] && return 0
  build_debian
  local server dir
  server=$(command -v nats-server || ls /usr/sbin/nats-server 2>/dev/null) || fail "nats-server is not installed (apt-get install nats-server)"
  say "building $local_nats from $local_debian and $server ($("$server" --version))"
  dir=$(stage nats)
  cp "$server" "$dir/usr/local/bin/nats-server"
  # Like the official image: the arguments go to nats-server, which listens on 4222 (and the monitor where asked).
  tar -C "$dir" -c . | docker import --change 'ENTRYPOINT ["/usr/local/bin/nats-server"]' --change 'CMD ["-js"]' \
    --change 'EXPOSE 4222' --change 'EXPOSE 8222' - "$local_nats" >/dev/null
  rm -rf "$dir"
}

if available "$official_sdk" && available "$official_runtime"; then
  sdk=$official_sdk
  runtime=$official_runtime
  say "base images: $sdk, $runtime"
else
  say "Microsoft's .NET images cannot be pulled here: local base images"
  build_runtime
  build_sdk
  sdk=$local_sdk
  runtime=$local_runtime
fi

if available "$official_nats"; then
  nats=$official_nats
else
  build_nats
  nats=$local_nats
fi

say "building $project_image (log: $run_dir/image-build.log)"
# The host's network: the build restores NuGet packages the way this machine reaches its package source.
if ! docker build --network host --build-arg "SDK_IMAGE=$sdk" --build-arg "RUNTIME_IMAGE=$runtime" -t "$project_image" . > "$run_dir/image-build.log" 2>&1; then
  fail "building $project_image failed (log: $run_dir/image-build.log: $(grep -m1 -iE 'error|failed' "$run_dir/image-build.log" || tail -n 1 "$run_dir/image-build.log"))"
fi
# The newest build stage stays, tagged, as the cache of the next build; superseded images of this project (untagged) go.
docker build --network host --build-arg "SDK_IMAGE=$sdk" --build-arg "RUNTIME_IMAGE=$runtime" --target build -t certstream-nats:build-cache . >/dev/null 2>&1 || true
docker image prune -f --filter label=io.github.certstream-nats.stage >/dev/null 2>&1 || true
say "built $project_image ($(docker image inspect -f '{{.Size}}' "$project_image" | awk '{printf "%.0f MB", $1/1000000}'))"

echo "CERTSTREAM_IMAGE=$project_image"
echo "NATS_IMAGE=$nats"
echo "SDK_IMAGE=$sdk"
echo "RUNTIME_IMAGE=$runtime"
