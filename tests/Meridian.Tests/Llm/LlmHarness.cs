using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Meridian.Server.Llm;
using Meridian.Server.Pricing;
using Meridian.Server.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Llm;

/// <summary>A <see cref="LanguageModel"/> built the way the server builds it (configuration, DI, the named
/// HttpClient), pointed at a fake provider, with the deltas it streamed recorded.</summary>
internal sealed class LlmHarness : IAsyncDisposable
{
    public const string ApiKey = "sk-test-0123456789abcdef";

    /// <summary>$2 in, $8 out per million tokens: 1000 in + 500 out cost $0.006.</summary>
    public static readonly PriceCatalog Catalog = new(new DateOnly(2025, 1, 1), [new ModelPrice("test-model", "test", 2m, 8m, 1m, 0.5m, 2, 500)]);

    public static readonly LlmRequest Request = new(
        "reporting",
        "You write reports. Never invent numbers.",
        "Rewrite this draft: Spend is $5,000 a month.",
        "## Summary\n\nSpend is **$5,000** a month. Routing low-risk traffic to a smaller model saves about $1,500 a month.\n\n## Next steps\n\n1) Send usage records.\n");

    private readonly ServiceProvider _services;

    private LlmHarness(ServiceProvider services) => _services = services;

    public LanguageModel Model => _services.GetRequiredService<LanguageModel>();

    public static LlmHarness Create(IDictionary<string, string?> settings, PriceCatalog? catalog = null, ILoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            }
        });
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<RunOptions>().Bind(configuration.GetSection(RunOptions.Section));
        services.AddLlm(configuration);
        if (catalog is not null)
        {
            services.AddSingleton(catalog);
        }

        return new LlmHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>Settings for a provider at <paramref name="baseUrl"/>: short retry delays so failures are quick, and a
    /// timeout that only tests of timeouts shorten (a loaded machine can be slow to answer).</summary>
    public static Dictionary<string, string?> Settings(Wire wire, string baseUrl, bool streaming = true, int timeoutSeconds = 10, int maxRetries = 2) => new()
    {
        ["Llm:Provider"] = wire == Wire.OpenAi ? "openai" : "anthropic",
        ["Llm:BaseUrl"] = baseUrl,
        ["Llm:ApiKey"] = ApiKey,
        ["Llm:Model"] = "test-model",
        ["Llm:Streaming"] = streaming ? "true" : "false",
        ["Llm:TimeoutSeconds"] = timeoutSeconds.ToString(),
        ["Llm:MaxRetries"] = maxRetries.ToString(),
        ["Llm:RetryDelayMilliseconds"] = "10",
    };

    public static LlmHarness For(FakeProvider fake, bool streaming = true, int timeoutSeconds = 10, int maxRetries = 2) =>
        Create(Settings(fake.Wire, fake.BaseUrl, streaming, timeoutSeconds, maxRetries), Catalog);

    /// <summary>A local port where nothing listens: bound, so no other server gets it meanwhile, but not listening,
    /// so connecting is refused. Dispose it to free the port.</summary>
    public static Socket ClosedPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    public async Task<Written> WriteAsync(LlmRequest? request = null, CancellationToken? cancellationToken = null)
    {
        var deltas = new List<string>();
        var clock = Stopwatch.StartNew();
        var answer = await Model.WriteAsync(request ?? Request, (delta, _) =>
        {
            deltas.Add(delta);
            return Task.CompletedTask;
        }, cancellationToken ?? TestContext.Current.CancellationToken);
        return new Written(answer, deltas, clock.Elapsed);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>What a call answered, the deltas streamed on the way, and how long it took.</summary>
internal sealed record Written(LlmAnswer Answer, List<string> Deltas, TimeSpan Elapsed)
{
    /// <summary>The answer's text is exactly what was streamed.</summary>
    public void ShouldBeWhatWasStreamed() => Answer.Text.ShouldBe(string.Concat(Deltas));
}
