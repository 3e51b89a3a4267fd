using Dapper;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Storage;

/// <summary><c>Meridian.Server migrate</c> run by two processes at once against one database.</summary>
[Collection(SerialProcesses.Name)]
public sealed class MigrationProcessTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_processes_migrating_one_database_at_once_both_succeed(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var environment = new Dictionary<string, string?>
        {
            ["MERIDIAN_Server__DataDirectory"] = database.DataDirectory,
            ["MERIDIAN_Storage__Provider"] = provider.ToString().ToLowerInvariant(),
            ["MERIDIAN_Storage__ConnectionString"] = database.ConnectionString,
        };

        await using var first = ServerProcess.Start(environment, ["migrate"], listen: false);
        await using var second = ServerProcess.Start(environment, ["migrate"], listen: false);
        var codes = await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromSeconds(60)), second.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        codes.ShouldBe([0, 0], first.Output + second.Output);
        (first.Output + second.Output).ShouldContain("schema up to date");
        await using var db = new Database(
            Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = provider, ConnectionString = database.ConnectionString }),
            Microsoft.Extensions.Options.Options.Create(new Meridian.Server.Hosting.ServerOptions { DataDirectory = database.DataDirectory }));
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(MigrationRunner.Load(provider).Count);
    }
}
