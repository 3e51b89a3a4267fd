using Meridian.Tests.Infrastructure;
using Meridian.Tests.Llm;
using Microsoft.Playwright;

namespace Meridian.Tests.Web;

/// <summary>The real server process (SQLite in a temp folder) with a fake model provider writing its reports,
/// reached through a <see cref="TcpProxy"/> that tests cut to drop the browser's connections, and the system's
/// chromium driven by Playwright. Browser tests are skipped when <c>MERIDIAN_TEST_CHROMIUM</c> is unset (.ci/run
/// sets it); Playwright never downloads a browser of its own.</summary>
public sealed class BrowserHarness : IAsyncLifetime
{
    public const string ChromiumVariable = "MERIDIAN_TEST_CHROMIUM";

    /// <summary>The report the fake model writes unless a test says otherwise; the usage it reports is priced
    /// from the shipped catalog (gpt-4o: $2.50 in, $10 out per million): 120,000 in + 40,000 out cost $0.70.</summary>
    public static readonly Answer Report = new(
        ["## Summary\n\n", "Routing simple traffic ", "to a smaller model ", "saves about **$1,500** a month.\n\n",
         "## Next steps\n\n", "1) Send usage records.\n", "2) Turn on prompt caching.\n"],
        InputTokens: 120_000,
        OutputTokens: 40_000,
        Model: "gpt-4o-2024-08-06");

    private IPlaywright? _playwright;
    private string? _dataDirectory;

    public static string? Chromium => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } s ? s : null;

    public FakeProvider Provider { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public TcpProxy Proxy { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>REST straight at the server (not through the proxy), for setting up and checking.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Where the browser reaches the app: the proxy in front of the server.</summary>
    public string AppAddress => $"http://127.0.0.1:{Proxy.Port}";

    public async ValueTask InitializeAsync()
    {
        if (Chromium is null)
        {
            return;
        }

        Provider = await FakeProvider.AlwaysAsync(Wire.OpenAi, Report);
        _dataDirectory = Directory.CreateTempSubdirectory("meridian-web-").FullName;
        Server = ServerProcess.Start(new Dictionary<string, string?>(HeldModelEnvironment(Provider))
        {
            ["MERIDIAN_ENVIRONMENT"] = "Development",
            ["MERIDIAN_Server__DataDirectory"] = _dataDirectory,
        });
        await Server.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        Api = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Proxy = new TcpProxy(Server.BaseAddress!.Host, Server.BaseAddress.Port);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
    }

    /// <summary>A server process's settings for the fake model <paramref name="provider"/>, with limits that let a held
    /// report wait as long as a test needs (they only end runs a failed test left behind).</summary>
    public static Dictionary<string, string?> HeldModelEnvironment(FakeProvider provider) => new()
    {
        ["MERIDIAN_Llm__Provider"] = "openai",
        ["MERIDIAN_Llm__BaseUrl"] = provider.BaseUrl,
        ["MERIDIAN_Llm__ApiKey"] = LlmHarness.ApiKey,
        ["MERIDIAN_Llm__Model"] = "gpt-4o",
        ["MERIDIAN_Llm__MaxRetries"] = "0",
        ["MERIDIAN_Llm__TimeoutSeconds"] = "300",
        ["MERIDIAN_Llm__TotalTimeoutSeconds"] = "300",
        ["MERIDIAN_Runs__StageTimeoutSeconds"] = "400",
        ["MERIDIAN_Runs__RunTimeoutSeconds"] = "600",
    };

    /// <summary>Skips the calling test when no chromium is configured.</summary>
    public static void RequireBrowser() =>
        Assert.SkipWhen(Chromium is null, $"Browser tests run when {ChromiumVariable} names a chromium executable (.ci/run sets it).");

    /// <summary>A fresh browser profile (no cookies, no storage) pointed at the app.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        RequireBrowser();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = AppAddress,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is null)
        {
            return;
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory!, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing its files; the temp folder is cleaned by the OS.
        }
    }
}
