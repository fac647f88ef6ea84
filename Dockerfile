# syntax=docker/dockerfile:1
# Lims as a container: `docker compose up` (see docker-compose.yml and README "Deploying").

# Build with the SDK: restore first (a layer cached until a project or package version changes), then publish.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Lims.Api/Lims.Api.csproj src/Lims.Api/
RUN dotnet restore src/Lims.Api/Lims.Api.csproj
COPY src/ src/
RUN dotnet publish src/Lims.Api/Lims.Api.csproj -c Release -o /app --no-restore

# Run on the ASP.NET Core runtime alone, as the image's unprivileged user (APP_UID).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health check; the runtime image has no HTTP client of its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The demo lab, for `seed` and Storage__SeedWhenEmpty=true.
COPY seed/*.json seed/
# data/ holds the SQLite file when the container runs on the embedded store.
RUN mkdir data && chown "$APP_UID" data
USER $APP_UID
# appsettings.json listens on loopback only; in a container the service must listen on every interface.
# ASPNETCORE_HTTP_PORTS is emptied so that the runtime image's default port does not compete with Urls.
ENV Urls=http://0.0.0.0:5080 \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 5080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:5080/health || exit 1
ENTRYPOINT ["dotnet", "Lims.Api.dll"]
