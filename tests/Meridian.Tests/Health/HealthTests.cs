using System.Net;
using System.Text.Json;
using Meridian.Server.Hosting;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Health;

public sealed class HealthTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/health/")]
    [InlineData("/api/health")]
    public async Task Health_routes_answer_200_healthy_without_redirect(string path)
    {
        await using var server = await ServerHarness.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("healthy");
        body.GetProperty("service").GetString().ShouldBe("meridian");
        body.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("uptime_seconds").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Live_and_ready_answer_200_naming_the_database_check()
    {
        await using var server = await ServerHarness.StartAsync();

        var (live, _) = await server.GetJsonAsync("/health/live");
        var (ready, body) = await server.GetJsonAsync("/health/ready");

        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("ready");
        body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("healthy");
    }

    [Fact]
    public async Task Until_startup_completes_health_is_503_starting_and_websocket_upgrades_get_503_with_retry_after()
    {
        var gate = new BlockingStartupTask();
        await using var server = await ServerHarness.StartAsync(
            services: s => s.AddSingleton<IStartupTask>(gate), waitUntilReady: false);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        var (health, body) = await server.GetJsonAsync("/health");
        var (live, _) = await server.GetJsonAsync("/health/live");
        var (ready, readyBody) = await server.GetJsonAsync("/health/ready");
        using var upgrade = await server.Http.GetAsync("/ws", TestContext.Current.CancellationToken);
        var upgradeBody = JsonDocument.Parse(await upgrade.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        health.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("status").GetString().ShouldBe("starting");
        body.GetProperty("phase").GetString().ShouldBe("services");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        readyBody.GetProperty("failing").EnumerateArray().Select(e => e.GetString()).ShouldContain("startup");
        upgrade.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        upgrade.Headers.RetryAfter.ShouldNotBeNull();
        upgrade.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        upgradeBody.GetProperty("error_code").GetString().ShouldBe("SERVICE_STARTING");

        gate.Release();
        await server.WaitUntilReadyAsync();
        var (after, _) = await server.GetJsonAsync("/health");
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task While_draining_readiness_is_503_naming_draining_and_new_api_work_is_refused()
    {
        await using var server = await ServerHarness.StartAsync();
        var work = server.Service<InFlightWork>();
        var lease = work.Begin();
        var stopping = server.App.StopAsync(TestContext.Current.CancellationToken);
        var state = server.Service<StartupState>();
        while (!state.IsDraining)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var (ready, body) = await server.GetJsonAsync("/health/ready");
        using var api = await server.Http.GetAsync("/api/discovery/services", TestContext.Current.CancellationToken);

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("failing").EnumerateArray().Select(e => e.GetString()).ShouldContain("draining");
        api.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        stopping.IsCompleted.ShouldBeFalse("the drain waits for in-flight work");

        lease.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Discovery_derives_urls_from_the_request()
    {
        await using var server = await ServerHarness.StartAsync();

        var (response, body) = await server.GetJsonAsync("/api/discovery/services");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var origin = server.BaseAddress.ToString().TrimEnd('/');
        var services = body.GetProperty("services");
        services.GetProperty("backend").GetProperty("url").GetString().ShouldBe(origin);
        services.GetProperty("backend").GetProperty("api_url").GetString().ShouldBe(origin + "/api");
        services.GetProperty("backend").GetProperty("ws_url").GetString().ShouldBe(origin.Replace("http://", "ws://") + "/ws");
        services.GetProperty("auth").GetProperty("url").GetString().ShouldBe(origin + "/auth");
        services.GetProperty("websocket").GetProperty("path").GetString().ShouldBe("/ws");
        body.GetProperty("available").GetBoolean().ShouldBeTrue();
        body.GetProperty("timestamp").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
    }

    [Fact]
    public async Task Discovery_uses_the_configured_public_url()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Server:PublicUrl"] = "https://meridian.example.com/",
        });

        var (_, body) = await server.GetJsonAsync("/api/discovery/services");

        var services = body.GetProperty("services");
        services.GetProperty("backend").GetProperty("url").GetString().ShouldBe("https://meridian.example.com");
        services.GetProperty("websocket").GetProperty("url").GetString().ShouldBe("wss://meridian.example.com/ws");
    }

    [Fact]
    public async Task Public_config_names_environment_version_features_and_auth_methods()
    {
        await using var server = await ServerHarness.StartAsync();

        var (response, body) = await server.GetJsonAsync("/api/config/public");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("environment").GetString().ShouldBe("development");
        body.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("features").ValueKind.ShouldBe(JsonValueKind.Object);
        body.GetProperty("auth").GetProperty("methods").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task Ready_turns_503_naming_the_database_when_postgres_is_unreachable_and_recovers_by_itself()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var target = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2 };
        await using var server = await ServerHarness.StartAsync(database, ownsDatabase: false, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = viaProxy.ConnectionString,
        });

        proxy.Cut();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (down, body) = await server.GetJsonAsync("/health/ready");
        var (live, _) = await server.GetJsonAsync("/health/live");

        down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        body.GetProperty("failing").EnumerateArray().Select(e => e.GetString()).ShouldBe(["database"]);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);

        proxy.Restore();
        var (up, _) = await server.GetJsonAsync("/health/ready");
        up.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private sealed class BlockingStartupTask : IStartupTask
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Phase => StartupState.Services;

        public Task Reached => _reached.Task;

        public void Release() => _release.TrySetResult();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }
}
