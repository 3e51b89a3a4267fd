using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>The app works from the keyboard alone, and axe finds nothing serious on its pages in either theme.</summary>
[Collection(SharedBrowser.Name)]
public sealed class AccessibilityTests(BrowserHarness fixture)
{
    private const string Question = "We spend $12k a month on gpt-4o. How do we cut it by 30%?";

    [Fact]
    public async Task Keyboard_alone_signs_in_sends_a_message_and_stops_the_run()
    {
        var user = await WebApp.RegisterAsync(fixture);
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");

        await TabToAsync(page, page.GetByLabel("Email", new() { Exact = true }));
        await page.Keyboard.TypeAsync(user.Email);
        await TabToAsync(page, page.GetByLabel("Password", new() { Exact = true }));
        await page.Keyboard.TypeAsync(user.Password);
        await page.Keyboard.PressAsync("Enter");
        await WebApp.ExpectSignedInAsync(page);

        using var held = new HeldReport(fixture.Provider);
        await TabToAsync(page, WebApp.Composer(page));
        await page.Keyboard.TypeAsync(Question);
        await page.Keyboard.PressAsync("Enter");
        var run = await WebApp.ExpectHeldAsync(page);
        await Expect(page.GetByTestId("user-message").Last).ToContainTextAsync(Question);

        await TabToAsync(page, WebApp.Button(page, "Stop"));
        await page.Keyboard.PressAsync("Space");

        await WebApp.ExpectStatusAsync(run, "stopped");
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_sign_in_chat_usage_and_ingest_pages(ColorScheme scheme)
    {
        var user = await WebApp.RegisterAsync(fixture);
        await WebApp.GenerateWorkloadAsync(fixture, user);
        await using var context = await fixture.NewContextAsync(scheme: scheme);
        var page = await context.NewPageAsync();

        var problems = new List<string>();
        try
        {
            await page.GotoAsync("/signin");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
            problems.AddRange(await SeriousViolationsAsync(page, "sign-in"));

            await WebApp.SignInAsync(page, user);
            await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Example requests" })).ToBeVisibleAsync();
            problems.AddRange(await SeriousViolationsAsync(page, "empty chat"));
            await WebApp.TypeMessageAsync(page, Question);
            await WebApp.ExpectStatusAsync(WebApp.LastRun(page), "completed");
            problems.AddRange(await SeriousViolationsAsync(page, "chat with a report"));

            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
            await Expect(page.GetByTestId("chart-cost-by-day").Locator("table")).ToBeAttachedAsync();
            problems.AddRange(await SeriousViolationsAsync(page, "usage"));

            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Ingest" }).ClickAsync();
            await page.GetByLabel("What sends with it").FillAsync("accessibility check");
            await WebApp.Button(page, "Create key").ClickAsync();
            await Expect(page.GetByTestId("exporter-settings")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("ingest-keys")).ToBeVisibleAsync();
            problems.AddRange(await SeriousViolationsAsync(page, "ingest"));
        }
        catch (PlaywrightException e) when (problems.Count > 0)
        {
            // A later page failing to appear must not hide what axe found on the earlier ones.
            throw new ShouldAssertException(string.Join("\n", problems) + "\nthen: " + e.Message, e);
        }

        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (never clicks).</summary>
    internal static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        throw new ShouldAssertException($"Tab never reached {target} (focus is on {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200)")}).");
    }

    private static async Task<List<string>> SeriousViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Impact} {v.Id} ({v.Help}) at {string.Join("; ", v.Nodes.Select(n => n.Target?.ToString()))}")];
    }
}
