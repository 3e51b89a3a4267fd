namespace Meridian.Server.Hosting;

/// <summary>Chooses the environment. Unlike a bare ASP.NET Core host, which defaults to Production,
/// Meridian defaults to Development so that a fresh clone runs with no configuration at all.</summary>
public static class MeridianEnvironment
{
    public const string Development = "Development";
    public const string Staging = "Staging";
    public const string Production = "Production";

    public static string Resolve(string[] args, IReadOnlyDictionary<string, string?>? settings)
    {
        var fromSettings = settings is not null && settings.TryGetValue("environment", out var s) ? s : null;
        var name = fromSettings
            ?? FromArgs(args)
            ?? Environment.GetEnvironmentVariable("MERIDIAN_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        return Normalize(name);
    }

    private static string Normalize(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" => Development,
        "development" or "dev" => Development,
        "staging" or "stage" => Staging,
        "production" or "prod" => Production,
        _ => name.Trim(),
    };

    private static string? FromArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--environment=", StringComparison.Ordinal))
            {
                return args[i]["--environment=".Length..];
            }

            if (args[i] == "--environment" && i + 1 < args.Length)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
