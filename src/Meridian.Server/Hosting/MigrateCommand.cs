using Meridian.Server.Storage;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Hosting;

/// <summary><c>Meridian.Server migrate</c>: applies the database migrations and exits (a deploy step).</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        Database database;
        try
        {
            Directory.CreateDirectory(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.ResolveDataDirectory());
            database = app.Services.GetRequiredService<Database>();
        }
        catch (OptionsValidationException ex)
        {
            return StartupFailure.Report(ex);
        }

        try
        {
            var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync();
            Console.WriteLine($"{database.Description}: {applied} migration(s) applied, schema up to date.");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Migration failed on {database.Description}: {ex.Message}");
            return 1;
        }
    }
}
