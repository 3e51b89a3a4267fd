using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>At a phone's width (360 CSS pixels) no page scrolls sideways.</summary>
[Collection(SharedBrowser.Name)]
public sealed class NarrowScreenTests(BrowserHarness fixture)
{
    [Fact]
    public async Task At_360_pixels_wide_nothing_scrolls_sideways_on_the_sign_in_chat_and_usage_pages()
    {
        var user = await WebApp.RegisterAsync(fixture);
        await WebApp.GenerateWorkloadAsync(fixture, user);
        await using var context = await fixture.NewContextAsync(width: 360, height: 740);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/signin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await ExpectNoSidewaysScrollAsync(page, "sign-in");
        await Screenshots.SaveAsync(page, "phone-sign-in");

        await WebApp.SignInAsync(page, user);
        await WebApp.SendExampleAsync(page);
        await WebApp.ExpectStatusAsync(WebApp.LastRun(page), "completed");
        await ExpectNoSidewaysScrollAsync(page, "chat");
        await Screenshots.SaveAsync(page, "phone-chat");

        await page.GotoAsync("/usage");
        await Expect(page.GetByTestId("chart-cost-by-day").Locator("table")).ToBeAttachedAsync();
        await ExpectNoSidewaysScrollAsync(page, "usage");
    }

    private static async Task ExpectNoSidewaysScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{where}: scrollWidth {widths[0]} > clientWidth {widths[1]}");
    }
}
