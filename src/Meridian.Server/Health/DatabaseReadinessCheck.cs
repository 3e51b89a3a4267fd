using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Health;

internal sealed class DatabaseReadinessCheck(Database database) : IReadinessCheck
{
    public string Name => "database";

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
        return null;
    }
}
