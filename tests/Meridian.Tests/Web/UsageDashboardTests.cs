using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>Importing usage records on the usage page (docs/workloads.md for the format) and the dashboard's charts,
/// read through their accessible tables.</summary>
[Collection(SharedBrowser.Name)]
public sealed class UsageDashboardTests(BrowserFixture fixture)
{
    private const string Header = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash\n";

    /// <summary>Lines 3 and 5 (the header is line 1) are bad: tokens that are not a number, an unknown status.</summary>
    private const string BadRows = Header
        + "2026-11-20T09:15:02Z,gpt-4o-2024-08-06,openai,1834,212,2140,,ok,support_chat,9f2c\n"
        + "2026-11-20T09:16:00Z,gpt-4o-mini,openai,lots,148,980.5,,ok,faq_answer,51aa\n"
        + "2026-11-21T09:15:07Z,gpt-4o-mini,openai,612,148,980.5,0.000181,ok,faq_answer,51ab\n"
        + "2026-11-21T10:00:00Z,gpt-4o,openai,100,10,500,,maybe,support_chat,\n";

    private const string GoodRows = Header
        + "2026-11-20T09:15:02Z,gpt-4o-2024-08-06,openai,1834,212,2140,,ok,support_chat,9f2c\n"
        + "2026-11-20T09:15:07Z,gpt-4o-mini,openai,612,148,980.5,,ok,faq_answer,51aa\n"
        + "2026-11-21T11:00:00Z,gpt-4o-mini,openai,700,150,900,,ok,faq_answer,51aa\n"
        + "2026-11-21T12:00:00Z,claude-sonnet-4-5-20250929,anthropic,6120,400,3000,,error,doc_qa,\n"
        + "2026-11-22T08:30:00Z,claude-sonnet-4-5-20250929,anthropic,5000,300,2500,,ok,doc_qa,77aa\n"
        + "2026-11-22T09:30:00Z,gpt-4o-2024-08-06,openai,2000,250,2300,,ok,support_chat,9f2d\n";

    [Fact]
    public async Task A_csv_with_bad_rows_shows_the_row_problems_and_leaves_the_dashboard_unchanged_and_a_good_csv_fills_the_charts()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebApp.SignUpAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Usage", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-empty")).ToBeVisibleAsync();

        await ImportAsync(page, "bad.csv", BadRows);

        var problems = page.GetByTestId("row-problems").Locator("li");
        await Expect(problems).ToHaveCountAsync(2);
        await Expect(problems.Nth(0)).ToContainTextAsync("3");
        await Expect(problems.Nth(0)).ToContainTextAsync("input_tokens");
        await Expect(problems.Nth(1)).ToContainTextAsync("5");
        await Expect(problems.Nth(1)).ToContainTextAsync("status");
        await Expect(page.GetByTestId("usage-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-cost-by-day")).ToHaveCountAsync(0);

        await ImportAsync(page, "good.csv", GoodRows);

        await Expect(page.GetByTestId("import-result")).ToContainTextAsync("6");
        await Expect(page.GetByTestId("usage-empty")).ToHaveCountAsync(0);
        var byDay = page.GetByTestId("chart-cost-by-day");
        await Expect(byDay.Locator("figcaption")).ToBeVisibleAsync();
        await Expect(byDay.Locator("canvas")).ToBeAttachedAsync();
        var table = byDay.Locator("table");
        foreach (var text in new[] { "2026-11-20", "2026-11-21", "2026-11-22", "gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5" })
        {
            await Expect(table).ToContainTextAsync(text);
        }

        await Expect(table.Locator("th, td").Filter(new() { HasTextRegex = new("^\\s*2026-11-(20|21|22)\\s*$") })).ToHaveCountAsync(3);
        var latency = page.GetByTestId("chart-latency").Locator("table");
        foreach (var text in new[] { "gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "p50", "p95", "p99" })
        {
            await Expect(latency).ToContainTextAsync(text);
        }

        await Expect(page.GetByTestId("chart-cost-by-feature").Locator("table")).ToContainTextAsync("doc_qa");
        await Expect(page.GetByTestId("chart-error-rate").Locator("table")).ToBeAttachedAsync();
        await Expect(page.GetByTestId("usage-totals")).ToContainTextAsync("6");
        await Expect(page.GetByTestId("price-catalog-date")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("\\d{4}-\\d{2}-\\d{2}"));
        await Screenshots.SaveAsync(page, "usage-dashboard", fullPage: true);
    }

    private static async Task ImportAsync(IPage page, string name, string csv)
    {
        await page.GetByLabel("Usage file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await WebApp.Button(page, "Import").ClickAsync();
    }
}
