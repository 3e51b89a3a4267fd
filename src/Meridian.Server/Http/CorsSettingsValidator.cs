using System.Text.Json.Serialization;
using Meridian.Server.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Http;

internal sealed class CorsSettingsValidator : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var bad = options.AllowedOrigins
            .Where(o => o != "*" && (!Uri.TryCreate(o, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/"))
            .ToList();
        if (options.AllowCredentials && options.AllowedOrigins.Contains("*"))
        {
            return ValidateOptionsResult.Fail("Cors:AllowCredentials cannot be combined with the '*' origin.");
        }

        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Cors:AllowedOrigins must be origins such as https://app.example.com; invalid: {string.Join(", ", bad)}");
    }
}
