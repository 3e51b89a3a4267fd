using Meridian.Server.Health;
using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Storage;

public static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<Database>();
        services.AddHostedService<SqliteNodeLock>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<IStartupTask, OpenStorage>();
        services.AddSingleton<IStartupTask, ApplyMigrations>();
        services.AddSingleton<IReadinessCheck, DatabaseReadinessCheck>();
        return services;
    }

    /// <summary>Phase "storage": the data folder exists and the database answers.</summary>
    private sealed class OpenStorage(Database database, IOptions<ServerOptions> server) : IStartupTask
    {
        public string Phase => StartupState.Storage;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(server.Value.ResolveDataDirectory());
            await using var connection = await database.OpenAsync(cancellationToken);
        }
    }

    private sealed class ApplyMigrations(MigrationRunner runner) : IStartupTask
    {
        public string Phase => StartupState.Migrations;

        public Task RunAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);
    }
}
