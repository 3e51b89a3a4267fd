using System.Net;
using System.Net.Http.Headers;

namespace Meridian.Server.Pricing;

/// <summary>Reads the price list named by <c>Pricing:Source</c>. Over HTTP it asks conditionally (<c>If-None-Match</c>,
/// <c>If-Modified-Since</c>) so an unchanged list costs a 304; a file is read again only when its write time or length
/// changed. It never throws for the source's faults: they come back as <see cref="PriceListRead.Error"/>.</summary>
public sealed class PriceListReader(IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "prices";

    /// <summary>The most a price list may weigh; LiteLLM's whole list is a few megabytes.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    public async Task<PriceListRead> ReadAsync(string source, PriceListValidators known, CancellationToken ct)
    {
        try
        {
            return PriceListSource.Url(source) is { } url
                ? await ReadUrlAsync(url, known, ct)
                : await ReadFileAsync(PriceListSource.Display(source), known, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException
            || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return Failed(ex is TaskCanceledException ? "the request timed out." : ex.Message);
        }
    }

    private async Task<PriceListRead> ReadUrlAsync(Uri url, PriceListValidators known, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (known.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        request.Headers.IfModifiedSince = known.LastModified;
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new PriceListRead(null, default, null, known);
        }

        if (!response.IsSuccessStatusCode)
        {
            return Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            return Failed($"the list is larger than {MaxBytes / 1024 / 1024} MB.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var lastModified = response.Content.Headers.LastModified;
        return new PriceListRead(body, lastModified ?? clock.GetUtcNow(), null, new PriceListValidators(response.Headers.ETag?.ToString(), lastModified));
    }

    private static async Task<PriceListRead> ReadFileAsync(string path, PriceListValidators known, CancellationToken ct)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return Failed($"no such file: {path}.");
        }

        var written = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        if (known.LastModified == written && known.Length == file.Length)
        {
            return new PriceListRead(null, default, null, known);
        }

        if (file.Length > MaxBytes)
        {
            return Failed($"the list is larger than {MaxBytes / 1024 / 1024} MB.");
        }

        var body = await File.ReadAllBytesAsync(path, ct);
        return new PriceListRead(body, written, null, new PriceListValidators(null, written, file.Length));
    }

    private static PriceListRead Failed(string error) => new(null, default, error, PriceListValidators.None);
}
