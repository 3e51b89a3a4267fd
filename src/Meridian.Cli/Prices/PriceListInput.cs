using System.Net.Http.Headers;

namespace Meridian.Cli.Prices;

/// <summary>The price list <c>--source</c> names, read by the CLI (so the server never fetches an address a user
/// typed): a file's bytes, or a URL's body. No source: an empty body, which asks the server to read its own.</summary>
internal static class PriceListInput
{
    public static async Task<(HttpContent? Body, string? Problem)> ReadAsync(string? source, TimeSpan timeout, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return (new ByteArrayContent([]), null);
        }

        try
        {
            var bytes = Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? await DownloadAsync(url, timeout, ct)
                : await File.ReadAllBytesAsync(source, ct);
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return (content, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException
            || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (null, $"cannot read the price list {source}: {ex.Message}");
        }
    }

    private static async Task<byte[]> DownloadAsync(Uri url, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = timeout };
        using var response = await http.GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(ct);
    }
}
