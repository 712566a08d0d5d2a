# One image for every service: `docker run <image> edge|ingestor|parser|ctlog-sim [args]`.
# Multi-stage: the SDK builds and publishes, the small ASP.NET runtime image runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props certstream-nats.slnx .editorconfig ./
COPY shared/ shared/
COPY services/ services/
COPY tools/ tools/
RUN for p in services/ingestor services/parser services/edge tools/ctlog-sim; do \
      dotnet publish "$p" -c Release -o "/app/$(basename "$p")" --nologo || exit 1; \
    done

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/ /app/
COPY docker/entrypoint.sh /app/entrypoint.sh
COPY config.yaml /etc/certstream/config.yaml
ENV DOTNET_gcServer=0 \
    DOTNET_GCHeapHardLimitPercent=0x4B
# The built-in non-root user of the .NET images.
USER app
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["edge"]
