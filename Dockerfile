# Meridian server image: the .NET SDK (with Node.js for the web app) builds, the ASP.NET Core runtime runs.
# docker build -t meridian .   (docs/deploy.md#6-docker-and-compose)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The server's build also builds the web app (src/Meridian.Web), which needs Node.js 20.19+ and npm.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Meridian.slnx ./
COPY src/ src/
RUN dotnet publish src/Meridian.Server/Meridian.Server.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The server reads MERIDIAN_* variables; with PostgreSQL the data folder holds only generated files.
ENV MERIDIAN_ENVIRONMENT=Production \
    MERIDIAN_URLS=http://0.0.0.0:5080 \
    MERIDIAN_Server__DataDirectory=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
RUN mkdir -p /data && chown app:app /data
USER app
VOLUME /data
EXPOSE 5080
ENTRYPOINT ["dotnet", "Meridian.Server.dll"]
