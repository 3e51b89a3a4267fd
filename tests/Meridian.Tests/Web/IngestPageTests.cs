using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Meridian.Tests.Web;

/// <summary>The ingest page (docs/ui.md#12-the-ingest-page) in a real browser: a key is created and shown once, an
/// export sent with it shows up in the last hour and on the usage page, and a revoked key is refused.</summary>
[Collection(SharedBrowser.Name)]
public sealed class IngestPageTests(BrowserHarness fixture)
{
    private const string OneSpan =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"support-bot\"}}]}," +
        "\"scopeSpans\":[{\"spans\":[{\"name\":\"chat\",\"startTimeUnixNano\":\"1763629200000000000\",\"endTimeUnixNano\":\"1763629200500000000\"," +
        "\"attributes\":[{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o-mini\"}}," +
        "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"100\"}}]}]}]}]}";

    private async Task<int> ExportAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new StringContent(OneSpan, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await fixture.Api.SendAsync(request, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task A_key_is_shown_once_its_exports_arrive_and_revoking_it_stops_them()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebApp.SignUpAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Ingest" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingest", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("no-keys")).ToBeVisibleAsync();

        await page.GetByLabel("What sends with it").FillAsync("support bot");
        await WebApp.Button(page, "Create key").ClickAsync();
        var settings = page.GetByTestId("exporter-settings");
        await Expect(settings).ToContainTextAsync("/v1/traces");
        var key = Regex.Match(await settings.InnerTextAsync(), "mik_[A-Za-z0-9_-]+").Value;
        key.Length.ShouldBe(47, await settings.InnerTextAsync());
        await Expect(page.GetByTestId("ingest-keys")).ToContainTextAsync("support bot");
        await Expect(page.GetByTestId("ingest-keys")).ToContainTextAsync(key[..12]);

        (await ExportAsync(key)).ShouldBe(200);
        // Leaving the page and coming back: the key is not shown again, and the export has arrived.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Chat" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Ingest" }).ClickAsync();
        await Expect(page.GetByTestId("ingest-keys")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("ingest-keys")).Not.ToContainTextAsync(key);
        await Expect(page.GetByTestId("ingest-recent-totals")).ToContainTextAsync("1 model calls stored");
        await Expect(page.GetByTestId("ingest-recent")).ToContainTextAsync("support bot");

        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke support bot" }).ClickAsync();
        await Expect(page.GetByTestId("ingest-keys")).ToContainTextAsync("Revoked");
        (await ExportAsync(key)).ShouldBe(401);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(page.GetByTestId("usage-totals").Locator("dt:text-is('Records') + dd")).ToHaveTextAsync("1");
    }
}
