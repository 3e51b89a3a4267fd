using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>The app's pages as the DOM contract describes them (docs/ui.md#8-test-hooks): accessible roles and
/// names first, <c>data-testid</c> hooks where no name fits, and the REST calls a test uses to set up or check.</summary>
internal static class WebApp
{
    /// <summary>A run may take a while on a loaded machine; waits on it are generous, never a fixed sleep.</summary>
    public const float RunTimeout = 90_000;

    public static readonly string[] Stages = ["triage", "data", "optimization", "actions", "reporting"];

    static WebApp() => Assertions.SetDefaultExpectTimeout(30_000);

    public static ILocator Runs(IPage page) => page.GetByTestId("messages").GetByTestId("run");

    public static ILocator LastRun(IPage page) => Runs(page).Last;

    public static ILocator ConnectionStatus(IPage page) => page.GetByTestId("connection-status");

    public static ILocator Composer(IPage page) => page.GetByLabel("Message", new() { Exact = true });

    public static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Creates an account through the register page and lands in the chat.</summary>
    public static async Task<WebUser> SignUpAsync(IPage page)
    {
        var user = WebUser.New();
        await SubmitCredentialsAsync(page, "/register", "Create account", user);
        return user;
    }

    /// <summary>Signs in through the sign-in page.</summary>
    public static async Task SignInAsync(IPage page, WebUser user)
    {
        await SubmitCredentialsAsync(page, "/signin", "Sign in", user);
    }

    /// <summary>The sign-in and register pages share their form: heading and button have the same name.</summary>
    private static async Task SubmitCredentialsAsync(IPage page, string path, string action, WebUser user)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = action, Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await Button(page, action).ClickAsync();
        await ExpectSignedInAsync(page);
    }

    public static async Task ExpectSignedInAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/chat(/[^/?#]+)?$"));
        await Expect(ConnectionStatus(page)).ToHaveAttributeAsync("data-state", "online");
    }

    /// <summary>Clicks the first example request of an empty thread; answers its text.</summary>
    public static async Task<string> SendExampleAsync(IPage page)
    {
        var example = page.GetByRole(AriaRole.Group, new() { Name = "Example requests" }).GetByRole(AriaRole.Button).First;
        var text = (await example.InnerTextAsync()).Trim();
        await example.ClickAsync();
        await Expect(page.GetByTestId("user-message").Last).ToContainTextAsync(text[..Math.Min(40, text.Length)]);
        return text;
    }

    /// <summary>Waits until the last run on the page is running and shows the first pieces of a held report.</summary>
    public static async Task<ILocator> ExpectHeldAsync(IPage page)
    {
        var run = LastRun(page);
        await Expect(run).ToHaveAttributeAsync("data-status", "running", new() { Timeout = RunTimeout });
        await Expect(run.GetByTestId("report")).ToContainTextAsync(HeldReport.VisibleBefore, new() { Timeout = RunTimeout });
        return run;
    }

    public static async Task ExpectStatusAsync(ILocator run, string status) =>
        await Expect(run).ToHaveAttributeAsync("data-status", status, new() { Timeout = RunTimeout });

    /// <summary>Registers an account over REST (for tests about other pages than register).</summary>
    public static async Task<WebUser> RegisterAsync(BrowserHarness fixture)
    {
        BrowserHarness.RequireBrowser();
        var user = WebUser.New();
        using var response = await fixture.Api.PostAsJsonAsync("/auth/register", new { email = user.Email, password = user.Password });
        response.EnsureSuccessStatusCode();
        return user;
    }

    /// <summary>An access token of the user, from <c>POST /auth/login</c> straight at the server.</summary>
    public static async Task<string> TokenAsync(BrowserHarness fixture, WebUser user)
    {
        using var response = await fixture.Api.PostAsJsonAsync("/auth/login", new { email = user.Email, password = user.Password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A user's REST call straight at the server; answers the JSON body.</summary>
    public static async Task<JsonElement> GetAsync(BrowserHarness fixture, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await fixture.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    /// <summary>Gives the user a synthetic workload (docs/workloads.md) so the usage page has charts to show.</summary>
    public static async Task GenerateWorkloadAsync(BrowserHarness fixture, WebUser user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workloads/synthetic")
        {
            Content = JsonContent.Create(new { profile = "chatbot", days = 14, calls_per_day = 200, seed = 7 }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(fixture, user));
        using var response = await fixture.Api.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends a message from the composer with the keyboard (Enter sends).</summary>
    public static async Task TypeMessageAsync(IPage page, string text)
    {
        await Composer(page).FocusAsync();
        await page.Keyboard.TypeAsync(text);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>The run's stored events (<c>GET /api/runs/{id}/events</c>): what the page must show, once each.</summary>
    public static async Task<JsonElement[]> EventsAsync(BrowserHarness fixture, string token, string runId)
    {
        var body = await GetAsync(fixture, token, $"/api/runs/{runId}/events?after_seq=0");
        return [.. body.GetProperty("events").EnumerateArray()];
    }

    /// <summary>Polls <c>GET /api/runs/{id}</c> until the run has ended on the server (a condition, not a sleep).</summary>
    public static async Task<string> WaitForRunEndAsync(BrowserHarness fixture, string token, string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(RunTimeout / 1000));
        while (true)
        {
            var run = await GetAsync(fixture, token, $"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString()!;
            if (status is "completed" or "failed" or "stopped")
            {
                return status;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    public static IEnumerable<JsonElement> OfType(this IEnumerable<JsonElement> events, string type) =>
        events.Where(e => e.GetProperty("type").GetString() == type);

    /// <summary>What a finished run shows: its tool cards (name and status, in order), thinking lines and report
    /// text. Two renderings of the same run compare equal exactly when nothing was lost or shown twice.</summary>
    public static async Task<RunView> ReadRunAsync(ILocator run)
    {
        var cards = run.GetByTestId("tool-card");
        var tools = new List<string>();
        for (var i = 0; i < await cards.CountAsync(); i++)
        {
            tools.Add($"{await cards.Nth(i).GetAttributeAsync("data-tool")}:{await cards.Nth(i).GetAttributeAsync("data-status")}");
        }

        var stages = new List<string>();
        var stageItems = run.GetByTestId("stage");
        for (var i = 0; i < await stageItems.CountAsync(); i++)
        {
            stages.Add($"{await stageItems.Nth(i).GetAttributeAsync("data-stage")}:{await stageItems.Nth(i).GetAttributeAsync("data-status")}");
        }

        return new RunView(
            stages,
            tools,
            await run.GetByTestId("thinking").CountAsync(),
            // textContent, not innerText: the app skips layout of off-screen answer blocks (content-visibility), and
            // innerText leaves out what is not laid out, which depends on the scroll position.
            ((await run.GetByTestId("report").TextContentAsync()) ?? "").Trim());
    }
}
