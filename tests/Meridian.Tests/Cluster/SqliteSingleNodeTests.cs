using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Cluster;

/// <summary>SQLite serves one node: a second process on the same database file is refused at start, and a killed
/// node leaves no lock behind (docs/deploy.md#1-one-node-or-several).</summary>
[Collection(SerialProcesses.Name)]
public sealed class SqliteSingleNodeTests
{
    [Fact]
    public async Task A_second_node_on_the_same_sqlite_file_is_refused_and_a_killed_nodes_lock_is_released()
    {
        var directory = Directory.CreateTempSubdirectory("meridian-sqlite-lock-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["MERIDIAN_ENVIRONMENT"] = "Development",
            ["MERIDIAN_Server__DataDirectory"] = directory,
        };
        try
        {
            await using (var first = ServerProcess.Start(environment))
            {
                await first.WaitForHealthyAsync(TimeSpan.FromSeconds(120));
                await using var second = ServerProcess.Start(environment);

                (await second.WaitForExitAsync(TimeSpan.FromSeconds(120))).ShouldBe(1, second.Output);
                second.Output.ShouldContain($"Another Meridian process already uses the SQLite database {Path.Combine(directory, "meridian.db")}");
                second.Output.ShouldContain("run several nodes on PostgreSQL");
                first.Kill();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            await using var third = ServerProcess.Start(environment);
            await third.WaitForHealthyAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing its files; the temp folder is cleaned by the OS.
            }
        }
    }
}
