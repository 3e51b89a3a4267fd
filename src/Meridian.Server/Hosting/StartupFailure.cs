using Meridian.Server.Http;
using Meridian.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Hosting;

/// <summary>Turns a configuration error found while starting into one clear message and exit code 1.</summary>
internal static class StartupFailure
{
    /// <summary>Validation of one section throws its failures; of several, an aggregate of them. A SQLite database
    /// another node uses is refused the same way.</summary>
    public static bool IsConfigurationError(Exception ex) =>
        ex is OptionsValidationException or StorageLockedException
        || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(e => e is OptionsValidationException));

    public static int Report(Exception ex)
    {
        var failures = ex switch
        {
            OptionsValidationException validation => validation.Failures,
            AggregateException aggregate => aggregate.InnerExceptions.OfType<OptionsValidationException>().SelectMany(v => v.Failures),
            _ => [ex.Message],
        };
        Console.Error.WriteLine($"Meridian cannot start: invalid configuration:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}");
        return 1;
    }
}
