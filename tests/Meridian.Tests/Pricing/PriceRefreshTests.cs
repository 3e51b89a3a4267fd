using System.Text.Json;
using Dapper;
using Meridian.Server.Pricing;
using Meridian.Server.Storage;
using Meridian.Server.Workloads;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Pricing;

/// <summary>A server whose <c>Pricing:Source</c> is a price list on a real local HTTP server, refreshed every 0.6 s
/// (docs/workloads.md#3-the-price-catalog): records imported without a cost follow the served prices, a changed price
/// reaches the next import, a broken answer keeps the last good catalog, and overrides still win.</summary>
public sealed class PriceRefreshTests
{
    private const string User = "user_prices";
    private const string Header = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash";

    // A million input tokens and no output: the record's cost is the input price per million.
    private const string MillionInputTokens = "2026-11-20T09:15:02Z,gpt-4o,openai,1000000,0,900,,ok,chat,h1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Imported_records_are_priced_with_the_served_list_and_a_changed_price_reaches_the_next_import()
    {
        await using var list = await PriceListServer.StartAsync(LiteLlmList.With(4.00m));
        await using var server = await StartAsync(list);
        await WaitForAsync(server, c => c.Source == list.Url.ToString());

        (await ImportAsync(server)).ShouldBe(4.00m);
        var prices = (await SummaryAsync(server)).GetProperty("prices");
        prices.GetProperty("source").GetString().ShouldBe(list.Url.ToString());
        prices.GetProperty("as_of").GetString().ShouldBe("2026-11-30");
        prices.GetProperty("models").GetInt32().ShouldBe(server.Service<CurrentPrices>().Catalog.PricedCount);

        list.LastModified = new DateTimeOffset(2026, 12, 5, 23, 30, 0, TimeSpan.Zero);
        list.Serve(LiteLlmList.With(3.25m));
        await WaitForAsync(server, c => c.Find("gpt-4o")!.InputPerMillion == 3.25m);

        (await ImportAsync(server)).ShouldBe(3.25m);
        (await SummaryAsync(server)).GetProperty("prices").GetProperty("as_of").GetString().ShouldBe("2026-12-05");
        list.Conditional.ShouldBeGreaterThan(0);
        var metrics = await server.Http.GetStringAsync("/metrics", Ct);
        metrics.ShouldContain("meridian_prices_age_seconds");
    }

    [Theory]
    [InlineData("{ \"gpt-4o\": { \"input_cost_per_token\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{ \"sample_spec\": { \"mode\": \"chat\" } }")]
    [InlineData("500")]
    public async Task A_broken_answer_keeps_the_last_good_catalog_and_logs_a_warning(string answer)
    {
        await using var list = await PriceListServer.StartAsync(LiteLlmList.With(4.00m));
        var logs = new LogRecorder();
        await using var server = await StartAsync(list, logs: logs);
        await WaitForAsync(server, c => c.Source == list.Url.ToString());
        var good = server.Service<CurrentPrices>().Catalog;

        var before = list.Requests;
        if (answer == "500")
        {
            list.Fail(500);
        }
        else
        {
            list.Serve(answer);
        }

        await list.WaitForRequestsAsync(before, 3);

        server.Service<CurrentPrices>().Catalog.ShouldBeSameAs(good);
        (await ImportAsync(server)).ShouldBe(4.00m);
        logs.Entries.ShouldContain(e => e.EventId.Id == 761 && e.Level == LogLevel.Warning && e.Message.Contains(list.Url.ToString()));
    }

    [Fact]
    public async Task Overrides_win_over_the_loaded_list()
    {
        await using var list = await PriceListServer.StartAsync(LiteLlmList.With(4.00m));
        await using var server = await StartAsync(list, new Dictionary<string, string?> { ["Pricing:Overrides:gpt-4o:InputPerMillion"] = "1.75" });
        await WaitForAsync(server, c => c.Source == list.Url.ToString());

        var catalog = server.Service<CurrentPrices>().Catalog;
        catalog.Find("gpt-4o")!.InputPerMillion.ShouldBe(1.75m);
        catalog.Find("gpt-4o")!.OutputPerMillion.ShouldBe(12m);
        catalog.Overridden.ShouldBe(["gpt-4o"]);
        (await ImportAsync(server)).ShouldBe(1.75m);
    }

    [Fact]
    public async Task A_file_source_is_dated_by_the_file()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("meridian-litellm-").FullName, "model_prices_and_context_window.json");
        await File.WriteAllTextAsync(path, LiteLlmList.With(4.40m), Ct);
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 10, 2, 12, 0, 0, DateTimeKind.Utc));
        await using var server = await StartAsync(null, new Dictionary<string, string?> { ["Pricing:Source"] = path });

        var catalog = await WaitForAsync(server, c => c.Source == path);

        catalog.AsOf.ShouldBe(new DateOnly(2026, 10, 2));
        catalog.Find("gpt-4o")!.InputPerMillion.ShouldBe(4.40m);
    }

    [Fact]
    public async Task The_report_names_the_catalogs_date_and_source()
    {
        await using var list = await PriceListServer.StartAsync(LiteLlmList.With(4.00m));
        await using var harness = await RuntimeHarness.StartAsync(pipeline: null, settings: Settings(list));
        await WaitForAsync(harness.Server, c => c.Source == list.Url.ToString());

        var runId = await harness.StartAsync("user_a", "We spend $5000/month on GPT-4o; cut it 30%.");
        await harness.EndedAsync(runId);
        var response = (await harness.EventsAsync(runId))[^1].GetProperty("response").GetString()!;

        response.ShouldContain($"_Priced with the price catalog of 2026-11-30 ({list.Url})._");
    }

    internal static Dictionary<string, string?> Settings(PriceListServer? list, IDictionary<string, string?>? more = null) =>
        new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = AuthHarness.Secret,
            ["Pricing:Source"] = list?.Url.ToString(),
            ["Pricing:RefreshMinutes"] = "0.01",
        }.With(more);

    /// <summary>Waits until the catalog in use satisfies <paramref name="done"/>.</summary>
    internal static async Task<PriceCatalog> WaitForAsync(ServerHarness server, Func<PriceCatalog, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var prices = server.Service<CurrentPrices>();
        while (!done(prices.Catalog))
        {
            await Task.Delay(50, deadline.Token);
        }

        return prices.Catalog;
    }

    private static async Task<ServerHarness> StartAsync(PriceListServer? list, IDictionary<string, string?>? more = null, LogRecorder? logs = null)
    {
        var server = await ServerHarness.StartAsync(settings: Settings(list, more), services: logs is null ? null : s => s.AddSingleton<ILoggerProvider>(logs));
        await using var connection = await server.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES (@id, 0)", new { id = User });
        return server;
    }

    /// <summary>Imports the one record (replacing the last), and answers its stored cost.</summary>
    private static async Task<decimal> ImportAsync(ServerHarness server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workloads/import?format=csv&replace=true")
        {
            Content = new StringContent($"{Header}\n{MillionInputTokens}\n", System.Text.Encoding.UTF8, "text/csv"),
        };
        request.Headers.Authorization = new("Bearer", RuntimeHarness.Token(User));
        using var response = await server.Http.SendAsync(request, Ct);
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync(Ct));
        return (await server.Service<UsageStore>().LoadAsync(User, Ct)).Single().CostUsd;
    }

    private static async Task<JsonElement> SummaryAsync(ServerHarness server)
    {
        var (response, body) = await server.SendAsync(HttpMethod.Get, "/api/workloads/summary", token: RuntimeHarness.Token(User));
        ((int)response.StatusCode).ShouldBe(200, body.ToString());
        return body;
    }
}
