using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Meridian.Testing.Llm;
using Microsoft.Playwright;

namespace Meridian.Bench;

/// <summary>The web app in Debian's chromium (Playwright) against the published server: bytes of code and styles on
/// a first load, time from navigation to a usable chat, and the longest main-thread task while a run of
/// thousands of events streams in. Selectors follow the app's test hooks (docs/ui.md).</summary>
internal static class BrowserBenchmark
{
    private const string Question = "We spend $12k a month on gpt-4o. How do we cut it by 30%?";

    /// <summary>Runs the page's condition every animation frame and answers the page's own clock then: the time since
    /// its navigation started, without the test driver's round trips.</summary>
    private const string UsableChat = """
        () => {
          const status = document.querySelector('[data-testid="connection-status"]');
          const composer = document.querySelector('textarea');
          return status?.getAttribute('data-state') === 'online' && composer && !composer.disabled ? performance.now() : 0;
        }
        """;

    private const string WatchLongTasks = """
        window.__longTasks = [];
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
          .observe({ type: 'longtask', buffered: true });
        """;

    public static async Task<string> RunAsync(bool quick, string[] args)
    {
        var chromium = Environment.GetEnvironmentVariable("MERIDIAN_TEST_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        var pieces = BenchArgs.Int(args, "--events", 2000);
        var navigations = BenchArgs.Int(args, "--navigations", quick ? 5 : 20);
        await using var model = await FakeProvider.AlwaysAsync(Wire.OpenAi, Report(pieces));
        var output = await PublishedServer.PublishAsync();
        await using var server = await PublishedServer.StartAsync(output, new Dictionary<string, string>
        {
            ["MERIDIAN_Llm__Provider"] = "openai",
            ["MERIDIAN_Llm__BaseUrl"] = model.BaseUrl,
            ["MERIDIAN_Llm__ApiKey"] = "sk-bench-0123456789",
            ["MERIDIAN_Llm__Model"] = "gpt-4o-mini",
            ["MERIDIAN_Llm__MaxRetries"] = "0",
        }, "bench-browser");
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var version = browser.Version;

        var text = new StringBuilder();
        text.AppendLine($"### browser: the web app in Chromium {version} (headless, Playwright) against the published server (Production, SQLite)");
        text.AppendLine();
        var verdicts = new List<string>();

        // 1. First load: everything the sign-in page fetches, in a profile with an empty cache.
        var (loadTable, codeGzip, codeTransferred) = await FirstLoadAsync(browser, baseUrl);
        text.Append(loadTable);
        text.AppendLine();
        verdicts.Add($"Target: code and styles on first load ≤ 200 KB gzip — {(codeGzip <= 200 * 1024 ? "met" : "NOT met")} ({Kb(codeGzip)} gzip; {Kb(codeTransferred)} as the server sent them).");

        // 2. Navigation to a usable chat, with the server warm and the user signed in.
        var email = $"bench-{Guid.NewGuid():N}@example.test";
        const string password = "bench-browser-0123456789";
        await using var context = await SignedInContextAsync(browser, server, baseUrl, email, password);
        var (navigationTable, navigationVerdict) = await NavigationsAsync(browser, context, baseUrl, navigations);
        text.Append(navigationTable);
        text.AppendLine();
        verdicts.Add(navigationVerdict);

        // 3. The longest main-thread task while a run of thousands of events streams in.
        var (streamTable, longest) = await StreamAsync(context, server, email, password, pieces);
        text.Append(streamTable);
        text.AppendLine();
        verdicts.Add($"Target: longest main-thread task while the run streams ≤ 50 ms — {(longest <= 50 ? "met" : "NOT met")} ({(longest == 0 ? "no task over 50 ms" : $"{longest:F0} ms")}).");

        foreach (var verdict in verdicts)
        {
            text.AppendLine(verdict);
        }

        text.AppendLine($"Command: `MERIDIAN_TEST_CHROMIUM={chromium} dotnet run -c Release --project bench/Meridian.Bench -- browser`");
        text.AppendLine($"Load average at the end (shared machine): {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}.");
        return text.ToString();
    }

    /// <summary>What the fake model writes: <paramref name="pieces"/> pieces in paragraphs of 40, each one
    /// <c>agent_response_delta</c> of the run.</summary>
    private static Answer Report(int pieces) => new(
        [.. Enumerable.Range(0, pieces).Select(i => i % 40 == 0 ? $"\n\nParagraph {i / 40 + 1}: " : $"word{i} ")],
        InputTokens: 1200,
        OutputTokens: pieces,
        Model: "gpt-4o-mini");

    /// <summary>A new account, signed in through the sign-in page; the profile keeps its session.</summary>
    private static async Task<IBrowserContext> SignedInContextAsync(IBrowser browser, PublishedServer server, string baseUrl, string email, string password)
    {
        using (var register = await server.Http.PostAsJsonAsync("/auth/register", new { email, password }))
        {
            register.EnsureSuccessStatusCode();
        }

        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/signin");
        await signIn.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await signIn.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await signIn.WaitForFunctionAsync(UsableChat, null, new() { Timeout = 60_000 });
        await signIn.CloseAsync();
        return context;
    }

    /// <summary>Navigations to a usable chat in a tab whose cache is warm, and in new profiles holding only the session.</summary>
    private static async Task<(string Table, string Verdict)> NavigationsAsync(IBrowser browser, IBrowserContext context, string baseUrl, int navigations)
    {
        var state = await context.StorageStateAsync();
        var warm = new Samples();
        var cold = new Samples();
        for (var i = 0; i < navigations; i++)
        {
            warm.Add(await TimeToUsableChatAsync(context, baseUrl));
            await using var fresh = await browser.NewContextAsync(new() { BaseURL = baseUrl, StorageState = state, ViewportSize = new() { Width = 1280, Height = 900 } });
            cold.Add(await TimeToUsableChatAsync(fresh, baseUrl));
        }

        var text = new StringBuilder();
        text.AppendLine("| navigation to a usable chat (`/chat`: connection online, composer enabled), signed in | time |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| warm server, browser cache warm (a returning tab) | {warm.Summary()} |");
        text.AppendLine($"| warm server, empty browser cache (a new profile with the session) | {cold.Summary()} |");
        return (text.ToString(), $"Target: navigation to a usable chat ≤ 1 s with a warm server — {(cold.Percentile(95) <= 1000 ? "met" : "NOT met")} (p95 {cold.Percentile(95):F0} ms with an empty cache, {warm.Percentile(95):F0} ms with a warm one).");
    }

    private static async Task<(string Table, long CodeGzip, long CodeTransferred)> FirstLoadAsync(IBrowser browser, string baseUrl)
    {
        await using var context = await browser.NewContextAsync(new() { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, r) => responses.Add(r);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 }).WaitForAsync();

        var table = new StringBuilder();
        table.AppendLine("| first load of /signin, empty cache | files | as sent | encoding | uncompressed | gzip (level 6) |");
        table.AppendLine("|---|---|---|---|---|---|");
        long codeGzip = 0, codeTransferred = 0;
        foreach (var group in responses.GroupBy(r => r.Request.ResourceType).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            long sent = 0, raw = 0, gzip = 0;
            var encodings = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var response in group)
            {
                var sizes = await response.Request.SizesAsync();
                var body = await response.BodyAsync();
                sent += sizes.ResponseBodySize;
                raw += body.Length;
                gzip += GzipLength(body);
                encodings.Add(response.Headers.TryGetValue("content-encoding", out var e) ? e : "identity");
            }

            if (group.Key is "script" or "stylesheet")
            {
                codeGzip += gzip;
                codeTransferred += sent;
            }

            table.AppendLine($"| {group.Key} | {group.Count()} | {Kb(sent)} | {string.Join(", ", encodings)} | {Kb(raw)} | {Kb(gzip)} |");
        }

        return (table.ToString(), codeGzip, codeTransferred);
    }

    private static async Task<TimeSpan> TimeToUsableChatAsync(IBrowserContext context, string baseUrl)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/chat", new() { WaitUntil = WaitUntilState.Commit });
        var usable = await page.WaitForFunctionAsync(UsableChat, null, new() { Timeout = 60_000 });
        var ms = await usable.JsonValueAsync<double>();
        await page.CloseAsync();
        return TimeSpan.FromMilliseconds(ms);
    }

    private static async Task<(string Table, double Longest)> StreamAsync(IBrowserContext context, PublishedServer server, string email, string password, int pieces)
    {
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(WatchLongTasks);
        await page.GotoAsync("/chat");
        await page.WaitForFunctionAsync(UsableChat, null, new() { Timeout = 60_000 });
        var composer = page.GetByLabel("Message", new() { Exact = true });
        var started = await page.EvaluateAsync<double>("() => performance.now()");
        await composer.FillAsync(Question);
        var clock = Stopwatch.StartNew();
        await composer.PressAsync("Enter");
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('[data-testid=\"run\"]')].at(-1)?.getAttribute('data-status') === 'completed'",
            null,
            new() { Timeout = 180_000, PollingInterval = 50 });
        var elapsed = clock.Elapsed;
        var runId = await page.GetByTestId("run").Last.GetAttributeAsync("data-run-id");
        var report = await page.GetByTestId("run").Last.GetByTestId("report").TextContentAsync() ?? "";
        var tasks = (await page.EvaluateAsync<JsonElement>("() => window.__longTasks")).EnumerateArray()
            .Select(t => (Start: t.GetProperty("start").GetDouble(), Duration: t.GetProperty("duration").GetDouble()))
            .Where(t => t.Start >= started)
            .ToList();
        await page.CloseAsync();

        using var login = await server.Http.PostAsJsonAsync("/auth/login", new { email, password });
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{runId}/events?after_seq=0");
        request.Headers.Authorization = new("Bearer", token);
        using var answer = await server.Http.SendAsync(request);
        var events = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("events").EnumerateArray().ToList();
        var deltas = events.Count(e => e.GetProperty("type").GetString() == "agent_response_delta");
        var complete = report.Contains($"word{pieces - 1}", StringComparison.Ordinal);

        var longest = tasks.Count == 0 ? 0 : tasks.Max(t => t.Duration);
        var table = new StringBuilder();
        table.AppendLine("| a run streaming into the chat page | result |");
        table.AppendLine("|---|---|");
        table.AppendLine($"| run events (of which `agent_response_delta`) | {events.Count:N0} ({deltas:N0}) |");
        table.AppendLine($"| send → run shown completed | {elapsed.TotalMilliseconds:F0} ms |");
        table.AppendLine($"| report text on the page | {report.Length:N0} characters, {(complete ? "ends with the last piece" : "MISSING the last piece")} |");
        table.AppendLine($"| main-thread tasks over 50 ms (PerformanceObserver `longtask`) from send to completed | {tasks.Count}{(tasks.Count == 0 ? "" : $": longest {longest:F0} ms, total {tasks.Sum(t => t.Duration):F0} ms")} |");
        return (table.ToString(), longest);
    }

    private static long GzipLength(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return buffer.Length;
    }

    private static string Kb(long bytes) => $"{bytes / 1024.0:F1} KB";
}
