using System.Text;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary>Checks the <c>Auth</c> section at start. In Development a missing secret has already been filled in
/// by <see cref="DevelopmentSecret"/>, so a missing secret here means another environment.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment env) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.JwtSecret))
        {
            errors.Add($"Auth:JwtSecret is required in {env.EnvironmentName}: set MERIDIAN_Auth__JwtSecret to a random value of at least {AuthOptions.MinimumSecretBytes} bytes.");
        }
        else if (Encoding.UTF8.GetByteCount(options.JwtSecret) < AuthOptions.MinimumSecretBytes)
        {
            errors.Add($"Auth:JwtSecret must be at least {AuthOptions.MinimumSecretBytes} bytes long (HS256 key).");
        }

        Range(errors, "Auth:AccessTokenMinutes", options.AccessTokenMinutes, 1, 24 * 60);
        Range(errors, "Auth:RefreshTokenDays", options.RefreshTokenDays, 1, 365);
        if (options.DefaultPermissions?.Any(string.IsNullOrWhiteSpace) == true)
        {
            errors.Add("Auth:DefaultPermissions must not contain empty entries.");
        }

        if (options.E2EBypassKey is { Length: > 0 and < 16 })
        {
            errors.Add("Auth:E2EBypassKey must be at least 16 characters when set.");
        }

        if (options.ServiceKey is { Length: > 0 and < 16 })
        {
            errors.Add("Auth:ServiceKey must be at least 16 characters when set.");
        }

        var lockout = options.Lockout;
        Range(errors, "Auth:Lockout:MaxFailuresPerAccount", lockout.MaxFailuresPerAccount, 1, 1000);
        Range(errors, "Auth:Lockout:MaxFailuresPerAddress", lockout.MaxFailuresPerAddress, 1, 100_000);
        Range(errors, "Auth:Lockout:WindowSeconds", lockout.WindowSeconds, 1, 86_400);
        Range(errors, "Auth:Lockout:LockoutSeconds", lockout.LockoutSeconds, 1, 86_400);
        Range(errors, "Auth:Lockout:SlowdownAfterFailures", lockout.SlowdownAfterFailures, 0, 1000);
        Range(errors, "Auth:Lockout:SlowdownStepMilliseconds", lockout.SlowdownStepMilliseconds, 0, 10_000);
        Range(errors, "Auth:Lockout:MaxSlowdownMilliseconds", lockout.MaxSlowdownMilliseconds, 0, 30_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}, got {value}.");
        }
    }
}
