using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>Importing usage records on the usage page (docs/workloads.md for the format) and the dashboard's charts,
/// read through their accessible tables.</summary>
[Collection(SharedBrowser.Name)]
public sealed class UsageDashboardTests(BrowserHarness fixture)
{
    private const string Header = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash\n";

    /// <summary>The three days of the files: the last three before today, inside any window a dashboard shows.</summary>
    private static readonly string[] Days = [.. Enumerable.Range(1, 3).Reverse().Select(d => DateTime.UtcNow.Date.AddDays(-d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Lines 3 and 5 (the header is line 1) are bad: tokens that are not a number, an unknown status.</summary>
    private static readonly string BadRows = Header
        + $"{Days[0]}T09:15:02Z,gpt-4o-2024-08-06,openai,1834,212,2140,,ok,support_chat,9f2c\n"
        + $"{Days[0]}T09:16:00Z,gpt-4o-mini,openai,lots,148,980.5,,ok,faq_answer,51aa\n"
        + $"{Days[1]}T09:15:07Z,gpt-4o-mini,openai,612,148,980.5,0.000181,ok,faq_answer,51ab\n"
        + $"{Days[1]}T10:00:00Z,gpt-4o,openai,100,10,500,,maybe,support_chat,\n";

    private static readonly string GoodRows = Header
        + $"{Days[0]}T09:15:02Z,gpt-4o-2024-08-06,openai,1834,212,2140,,ok,support_chat,9f2c\n"
        + $"{Days[0]}T09:15:07Z,gpt-4o-mini,openai,612,148,980.5,,ok,faq_answer,51aa\n"
        + $"{Days[1]}T11:00:00Z,gpt-4o-mini,openai,700,150,900,,ok,faq_answer,51aa\n"
        + $"{Days[1]}T12:00:00Z,claude-sonnet-4-5-20250929,anthropic,6120,400,3000,,error,doc_qa,\n"
        + $"{Days[2]}T08:30:00Z,claude-sonnet-4-5-20250929,anthropic,5000,300,2500,,ok,doc_qa,77aa\n"
        + $"{Days[2]}T09:30:00Z,gpt-4o-2024-08-06,openai,2000,250,2300,,ok,support_chat,9f2d\n";

    [Fact]
    public async Task A_csv_with_bad_rows_shows_the_row_problems_and_leaves_the_dashboard_unchanged_and_a_good_csv_fills_the_charts()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebApp.SignUpAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Usage", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-empty")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Skip invalid rows")).Not.ToBeCheckedAsync();

        await ImportAsync(page, "bad.csv", BadRows);

        var problems = page.GetByTestId("row-problems").Locator("li");
        await Expect(problems).ToHaveCountAsync(2);
        await Expect(problems.Nth(0)).ToContainTextAsync(new Regex(@"\b3\b"));
        await Expect(problems.Nth(0)).ToContainTextAsync("input_tokens");
        await Expect(problems.Nth(1)).ToContainTextAsync(new Regex(@"\b5\b"));
        await Expect(problems.Nth(1)).ToContainTextAsync("status");
        await Expect(page.GetByTestId("usage-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-cost-by-day")).ToHaveCountAsync(0);

        await ImportAsync(page, "good.csv", GoodRows);

        await Expect(page.GetByTestId("import-result")).ToContainTextAsync(new Regex(@"\b6\b"));
        await Expect(page.GetByTestId("usage-empty")).ToHaveCountAsync(0);
        var byDay = page.GetByTestId("chart-cost-by-day");
        await Expect(byDay.Locator("figcaption")).ToBeVisibleAsync();
        await Expect(byDay.Locator("canvas")).ToBeAttachedAsync();
        var table = byDay.Locator("table");
        foreach (var text in Days.Concat(["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5"]))
        {
            await Expect(table).ToContainTextAsync(text);
        }

        await Expect(table.Locator("th, td").Filter(new() { HasTextRegex = new($"^\\s*({string.Join('|', Days)})\\s*$") })).ToHaveCountAsync(3);
        var latency = page.GetByTestId("chart-latency").Locator("table");
        foreach (var text in new[] { "gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "p50", "p95", "p99" })
        {
            await Expect(latency).ToContainTextAsync(text);
        }

        await Expect(page.GetByTestId("chart-cost-by-feature").Locator("table")).ToContainTextAsync("doc_qa");
        await Expect(page.GetByTestId("chart-error-rate").Locator("table")).ToBeAttachedAsync();
        await Expect(page.GetByTestId("usage-totals").Locator("dt:text-is('Records') + dd")).ToHaveTextAsync("6");
        await Expect(page.GetByTestId("price-catalog-date")).ToContainTextAsync(new Regex("\\d{4}-\\d{2}-\\d{2}"));
        await Expect(page.GetByTestId("price-catalog-source")).ToContainTextAsync("the catalog shipped with Meridian");
        // The page scrolls inside its own main area, which a full-page capture does not expand: a tall viewport shows
        // the whole dashboard.
        await page.SetViewportSizeAsync(1280, 2400);
        await Expect(page.GetByTestId("chart-error-rate").Locator("canvas")).ToBeInViewportAsync();
        await Screenshots.SaveAsync(page, "usage-dashboard");
    }

    private static async Task ImportAsync(IPage page, string name, string csv)
    {
        await page.GetByLabel("Usage file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await WebApp.Button(page, "Import").ClickAsync();
    }
}
