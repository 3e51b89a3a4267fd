using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>A report is the model's text: whatever HTML or script it holds must render inert (docs/ui.md).</summary>
[Collection(SharedBrowser.Name)]
public sealed class ReportSafetyTests(BrowserHarness fixture)
{
    /// <summary>Each attempt would call home to a URL holding "pwned" or open a dialog, were it ever run.</summary>
    private static readonly Answer Hostile = new(
        ["## Summary\n\n", "Plain words first.\n\n",
         "<script>alert('script');fetch('/pwned-script')</script>\n\n",
         "<img src=\"/pwned-img\" onerror=\"alert('img')\">\n\n",
         "Inline <img src=pwned-x onerror=\"fetch('/pwned-inline')\"> and <svg onload=\"alert('svg')\"></svg>\n\n",
         "<iframe src=\"javascript:alert('frame')\"></iframe>\n\n",
         "[click me](javascript:alert('link')) and <a href=\"javascript:fetch('/pwned-a')\">raw link</a>\n\n",
         "Last words.\n"]);

    [Fact]
    public async Task A_report_holding_html_and_script_renders_inert_with_no_dialog_no_request_and_no_script()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = new ConcurrentQueue<string>();
        var requests = new ConcurrentQueue<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        context.Request += (_, request) => requests.Enqueue(request.Url);
        await WebApp.SignUpAsync(page);
        var previous = fixture.Provider.Otherwise;
        fixture.Provider.Otherwise = Hostile;
        try
        {
            await WebApp.SendExampleAsync(page);
            await WebApp.ExpectStatusAsync(WebApp.LastRun(page), "completed");
        }
        finally
        {
            fixture.Provider.Otherwise = previous;
        }

        var report = WebApp.LastRun(page).GetByTestId("report");
        await Expect(report).ToContainTextAsync("Last words.");
        await Expect(report.Locator("script, iframe, object, embed, [onerror], [onload], [onclick]")).ToHaveCountAsync(0);
        await Expect(report.Locator("a[href^='javascript:' i], [src^='javascript:' i]")).ToHaveCountAsync(0);
        await Expect(page.Locator("script", new() { HasText = "pwned" })).ToHaveCountAsync(0);
        dialogs.ShouldBeEmpty();
        requests.Where(u => u.Contains("pwned", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
        requests.Where(u => !u.StartsWith(fixture.AppAddress + "/", StringComparison.Ordinal) && !u.StartsWith("ws://127.0.0.1:" + fixture.Proxy.Port + "/", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }
}
