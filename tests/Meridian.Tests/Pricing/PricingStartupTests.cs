using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Pricing;

/// <summary>A server whose price catalog is unusable does not start, and says which setting to fix.</summary>
[Collection(SerialProcesses.Name)]
public sealed class PricingStartupTests
{
    [Fact]
    public async Task An_invalid_catalog_file_stops_the_process_with_exit_code_1_naming_the_setting_and_the_problem()
    {
        var folder = Directory.CreateTempSubdirectory("meridian-pricing-").FullName;
        var catalog = Path.Combine(folder, "prices.json");
        await File.WriteAllTextAsync(catalog,
            """{ "as_of": "2026-01-01", "models": [ { "model": "m", "provider": "p", "input_per_million": -2, "output_per_million": 1, "quality_tier": 2, "typical_latency_ms": 100 } ] }""",
            TestContext.Current.CancellationToken);

        await using var server = ServerProcess.Start(new Dictionary<string, string?>
        {
            ["MERIDIAN_Server__DataDirectory"] = folder,
            ["MERIDIAN_Pricing__CatalogPath"] = catalog,
        });
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.ShouldBe(1, server.Output);
        server.Output.ShouldContain("Pricing:CatalogPath");
        server.Output.ShouldContain("input_per_million");
        Directory.Delete(folder, recursive: true);
    }
}
