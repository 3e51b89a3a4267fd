using System.Net.Http.Json;
using System.Text.Json;
using Meridian.Server;
using Meridian.Server.Hosting;
using Meridian.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Meridian.Tests.Infrastructure;

/// <summary>A real Meridian server on Kestrel, listening on 127.0.0.1 with an ephemeral port, over a throw-away
/// database. Tests talk to it with real HTTP (and real sockets).</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private ServerHarness(WebApplication app, TestDatabase database, bool ownsDatabase)
    {
        App = app;
        _database = database;
        _ownsDatabase = ownsDatabase;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public TestDatabase Database => _database;

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<ServerHarness> StartAsync(
        StorageProvider provider = StorageProvider.Sqlite,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool waitUntilReady = true,
        Action<WebApplication>? endpoints = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return await StartAsync(database, ownsDatabase: true, settings, services, waitUntilReady, endpoints);
    }

    public static async Task<ServerHarness> StartAsync(
        TestDatabase database,
        bool ownsDatabase,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool waitUntilReady = true,
        Action<WebApplication>? endpoints = null)
    {
        var all = new Dictionary<string, string?>(database.Settings)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }.With(settings);

        var app = MeridianApp.Build([], all, services, endpoints);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var server = new ServerHarness(app, database, ownsDatabase);
        if (waitUntilReady)
        {
            await server.WaitUntilReadyAsync();
        }

        return server;
    }

    public async Task WaitUntilReadyAsync()
    {
        var state = Service<StartupState>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!state.IsStarted)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response, body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}
