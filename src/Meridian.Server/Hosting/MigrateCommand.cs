using Meridian.Server.Storage;

namespace Meridian.Server.Hosting;

/// <summary><c>Meridian.Server migrate</c>: applies the database migrations and exits (a deploy step).</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value;
        try
        {
            Directory.CreateDirectory(options.ResolveDataDirectory());
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
