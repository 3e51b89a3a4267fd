using Microsoft.Extensions.Options;

namespace Meridian.Server.Hosting;

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Server:DataDirectory must not be empty.");
        }

        if (options.DrainSeconds is < 0 or > 600)
        {
            errors.Add("Server:DrainSeconds must be between 0 and 600.");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            errors.Add("Server:MaxRequestBodyBytes must be at least 1024.");
        }

        if (options.PublicUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"Server:PublicUrl must be an absolute http(s) URL, got '{url}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
