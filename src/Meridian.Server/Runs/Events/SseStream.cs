namespace Meridian.Server.Runs;

/// <summary>A Server-Sent Events response. Events and keep-alive comments may be written from two tasks; the
/// gate keeps each message whole.</summary>
internal sealed class SseStream(HttpResponse response) : IDisposable
{
    private static readonly byte[] EndOfMessage = "\n\n"u8.ToArray();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // tells nginx-style proxies not to buffer the stream
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>Writes <c>id:</c>, <c>event:</c> and one <c>data:</c> line (the JSON has no raw newlines).</summary>
    public Task EventAsync(long id, string type, byte[] json, CancellationToken cancellationToken) =>
        WriteAsync(System.Text.Encoding.UTF8.GetBytes($"id: {id}\nevent: {type}\ndata: "), json, cancellationToken);

    public Task CommentAsync(string text, CancellationToken cancellationToken) =>
        WriteAsync(System.Text.Encoding.UTF8.GetBytes($": {text}"), [], cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task WriteAsync(byte[] head, byte[] body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await response.Body.WriteAsync(head, cancellationToken);
            await response.Body.WriteAsync(body, cancellationToken);
            await response.Body.WriteAsync(EndOfMessage, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
