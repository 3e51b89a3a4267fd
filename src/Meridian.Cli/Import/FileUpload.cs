using System.Net;
using System.Net.Http.Headers;

namespace Meridian.Cli.Import;

/// <summary>A file as a request body, read and sent in chunks (never held whole), reporting the bytes sent.</summary>
internal sealed class FileUpload(string path, string contentType, Action<long> sent) : HttpContent
{
    private const int ChunkBytes = 64 * 1024;

    public long Length { get; } = new FileInfo(path).Length;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
            sent(total);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = Length;
        return true;
    }

    /// <summary>Sets the content type once the instance exists (HttpContent's headers are not settable in a primary
    /// constructor's initializers).</summary>
    public FileUpload Typed()
    {
        Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return this;
    }
}
