# One image for every service: `docker run <image> ingestor|parser|edge|ctlog-sim [args]` (docker/entrypoint.sh).
# Multi-stage: the SDK publishes all four programs as Native AOT executables; the runtime stage needs no .NET runtime,
# only what the executables load (libc, OpenSSL, CA certificates), and runs them as a non-root user.
# The base images are build arguments: Microsoft's official images by default; scripts/container-images.sh passes local
# ones where no registry can be reached (docs/deploy.md, "Building the image").
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
# Marks this project's images, so that scripts/container-images.sh can drop superseded (untagged) ones.
LABEL io.github.certstream-nats.stage=build
# Native AOT links with the platform's C toolchain (clang or gcc) and zlib's headers; the SDK images do not carry them.
RUN if ! { command -v clang || command -v gcc; } >/dev/null || [ ! -f /usr/include/zlib.h ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props certstream-nats.slnx .editorconfig ./
COPY shared/ shared/
COPY services/ services/
COPY tools/ tools/
# .dockerignore keeps bin/ and obj/ out; a context sent without it may still bring them, with host paths in
# project.assets.json, so drop them before restoring inside the image.
RUN find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && for p in services/ingestor services/parser services/edge tools/ctlog-sim; do \
      dotnet publish "$p" -c Release -r linux-x64 -p:PublishAot=true -o "/app/$(basename "$p")" --nologo || exit 1; \
    done \
 && find /app \( -name '*.dbg' -o -name '*.pdb' \) -delete

FROM ${RUNTIME_IMAGE} AS runtime
LABEL io.github.certstream-nats.stage=runtime
WORKDIR /app
COPY --from=build /app/ /app/
COPY --chmod=0755 docker/entrypoint.sh /app/entrypoint.sh
# The default config (every key at its default); compose overrides keys by CERTSTREAM_* variables,
# Helm mounts its own file over /etc/certstream.
COPY config.yaml /etc/certstream/config.yaml
# The heap limit leaves room below the container's memory limit (the GC settings themselves are built into each program).
ENV DOTNET_GCHeapHardLimitPercent=0x4B
EXPOSE 8080 9101 9102
# Ready = /readyz of whichever service runs (ctlog-sim: its log list), on the port its CERTSTREAM_* variable names.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD ["/app/entrypoint.sh", "healthcheck", "auto"]
# Numeric UID of the images' built-in "app" user: Kubernetes can only verify runAsNonRoot for a numeric user.
USER $APP_UID
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["edge"]
