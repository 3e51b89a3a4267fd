using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;

namespace Meridian.Tests.Gateway;

/// <summary>A server for gateway tests: the shared test key, a scripted pipeline, and tokens for any user.</summary>
internal static class GatewayHarness
{
    public static async Task<ServerHarness> StartAsync(
        IRunPipeline? pipeline = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        StorageProvider provider = StorageProvider.Sqlite)
    {
        var all = new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret }.With(settings);

        pipeline ??= new ScriptedPipeline(async (ctx, ct) =>
        {
            await ctx.StageAsync("triage", "Reading", _ => Task.FromResult(new StageResult<int>(1, "ok")), ct);
            await ctx.Emitter.DeltaAsync("reporting", "# Report", ct);
            return ScriptedPipeline.Done("# Report");
        });
        return await ServerHarness.StartAsync(provider, all, s =>
        {
            s.AddSingleton(pipeline);
            services?.Invoke(s);
        });
    }

    public static string Token(string userId, DateTimeOffset? expires = null) =>
        AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = userId }, expires: expires);

    public static async Task AddThreadAsync(ServerHarness server, string threadId, string userId)
    {
        await using var connection = await server.Service<Database>().OpenWriterAsync();
        await connection.ExecuteAsync("INSERT INTO users (id, created_at) VALUES (@userId, 0) ON CONFLICT (id) DO NOTHING", new { userId });
        await connection.ExecuteAsync("INSERT INTO threads (id, user_id, created_at, updated_at) VALUES (@threadId, @userId, 0, 0)", new { threadId, userId });
    }
}
