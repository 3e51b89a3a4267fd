namespace Meridian.Server.Pricing;

/// <summary>What <c>Pricing:Source</c> names: an http(s) URL, or else a file path (relative to the working directory).</summary>
public static class PriceListSource
{
    public static Uri? Url(string source) =>
        Uri.TryCreate(source.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    /// <summary>Why the setting cannot name a price list, or null when it can (whether it answers is seen at run time).</summary>
    public static string? Describe(string source)
    {
        if (Url(source) is not null)
        {
            return null;
        }

        return source.Contains("://", StringComparison.Ordinal)
            ? $"'{source}' is neither an http(s) URL nor a file path."
            : null;
    }

    /// <summary>The source as answers show it: a URL without credentials, query or fragment (they may hold a key),
    /// a file as its full path.</summary>
    public static string Display(string source) => Url(source) is { } url
        ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : Path.GetFullPath(source.Trim(), Directory.GetCurrentDirectory());
}
