using Meridian.Tests.Infrastructure;
using Meridian.Tests.Pricing;
using Meridian.Tests.Runs;
using Meridian.Tests.Validation;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian prices check</c> as a process against a real server whose prices come from a local HTTP price
/// list (docs/cli.md#8-meridian-prices-check): the same list exits 0, a changed one prints the change and exits 1,
/// what it cannot read exits 2.</summary>
public sealed class PricesCheckCommandTests
{
    private static readonly string Alice = RuntimeHarness.Token("user_a");

    [Fact]
    public async Task A_changed_list_prints_the_change_and_exits_1_and_the_list_in_use_exits_0()
    {
        await using var list = await PriceListServer.StartAsync(LiteLlmList.With(4.00m));
        await using var server = await ServerHarness.StartAsync(settings: PriceRefreshTests.Settings(list, new Dictionary<string, string?> { ["Pricing:RefreshMinutes"] = "600" }));
        await PriceRefreshTests.WaitForAsync(server, c => c.Source == list.Url.ToString());

        var same = await CheckAsync(server);
        list.Serve(LiteLlmList.With(3.25m));
        var served = await CheckAsync(server);
        var file = Path.Combine(Directory.CreateTempSubdirectory("meridian-prices-check-").FullName, "prices.json");
        await File.WriteAllTextAsync(file, LiteLlmList.With(5.5m), TestContext.Current.CancellationToken);
        var fromFile = await CheckAsync(server, "--source", file);

        same.ExitCode.ShouldBe(0, same.ToString());
        same.Output.ShouldContain("No change");
        served.ExitCode.ShouldBe(1, served.ToString());
        served.Output.ShouldContain("gpt-4o");
        served.Output.ShouldContain("4 / 1.5 / 12 → 3.25 / 1.5 / 12");
        served.Output.ShouldContain("0 added, 0 removed, 1 repriced");
        fromFile.ExitCode.ShouldBe(1, fromFile.ToString());
        fromFile.Output.ShouldContain("4 / 1.5 / 12 → 5.5 / 1.5 / 12");
        server.Service<Meridian.Server.Pricing.CurrentPrices>().Catalog.Find("gpt-4o")!.InputPerMillion.ShouldBe(4.00m);
    }

    [Fact]
    public async Task What_it_cannot_check_exits_2()
    {
        await using var server = await ServerHarness.StartAsync(settings: PriceRefreshTests.Settings(null));

        var noSource = await CheckAsync(server);
        var missing = await CheckAsync(server, "--source", "/no/such/prices.json");
        var file = Path.Combine(Directory.CreateTempSubdirectory("meridian-prices-check-").FullName, "prices.json");
        await File.WriteAllTextAsync(file, "{ not json", TestContext.Current.CancellationToken);
        var malformed = await CheckAsync(server, "--source", file);

        noSource.ExitCode.ShouldBe(2, noSource.ToString());
        noSource.Error.ShouldContain("Pricing:Source");
        missing.ExitCode.ShouldBe(2, missing.ToString());
        malformed.ExitCode.ShouldBe(2, malformed.ToString());
        malformed.Error.ShouldContain("not valid JSON");
    }

    private static Task<CliRun> CheckAsync(ServerHarness server, params string[] extra) =>
        CliProcess.RunAsync(["prices", "check", "--target", server.BaseAddress.ToString(), "--token", Alice, .. extra]);
}
