using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Hosting;

/// <summary>The server as a user starts it: a separate process with nothing but environment variables.</summary>
[Collection(SerialProcesses.Name)]
public sealed class ProcessTests
{
    [Fact]
    public async Task A_fresh_start_creates_its_data_folder_and_becomes_healthy()
    {
        var root = Directory.CreateTempSubdirectory("meridian-fresh-").FullName;
        var dataDirectory = Path.Combine(root, "data");
        try
        {
            await using var server = ServerProcess.Start(new Dictionary<string, string?> { ["MERIDIAN_Server__DataDirectory"] = dataDirectory });

            await server.WaitForHealthyAsync(TimeSpan.FromSeconds(30));

            File.Exists(Path.Combine(dataDirectory, "meridian.db")).ShouldBeTrue();
            server.Output.ShouldContain($"listening on {server.BaseAddress!.ToString().TrimEnd('/')}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_drains_and_exits_0()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-term-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?> { ["MERIDIAN_Server__DataDirectory"] = dataDirectory });
        await server.WaitForHealthyAsync(TimeSpan.FromSeconds(30));

        server.Signal(PosixSignal.SIGTERM);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        code.ShouldBe(0, server.Output);
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("MERIDIAN_Storage__Provider", "postgres", "Storage:ConnectionString")]
    [InlineData("MERIDIAN_Server__DrainSeconds", "-1", "Server:DrainSeconds")]
    [InlineData("MERIDIAN_Cors__AllowedOrigins__0", "not a url", "Cors:AllowedOrigins")]
    [InlineData("MERIDIAN_Auth__JwtSecret", "", "Auth:JwtSecret")]
    public async Task An_invalid_configuration_stops_the_start_with_a_message_naming_the_setting(string variable, string value, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-bad-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?>
        {
            ["MERIDIAN_ENVIRONMENT"] = "Production",
            ["MERIDIAN_Server__DataDirectory"] = dataDirectory,
            [variable] = value,
        });

        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        code.ShouldBe(1, server.Output);
        server.Output.ShouldContain("Meridian cannot start");
        server.Output.ShouldContain(named);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
