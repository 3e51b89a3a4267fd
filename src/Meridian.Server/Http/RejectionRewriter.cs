using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Meridian.Server.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Server.Http;

/// <summary>The output of one connection, passed through to Kestrel's transport. A write that is exactly Kestrel's
/// own refusal of an unreadable request (<c>HTTP/1.1 400 Bad Request</c>, <c>Content-Length: 0</c>,
/// <c>Connection: close</c>, <c>Date</c>, nothing else) is replaced by a complete problem answer. The application's
/// answers always carry the security headers, so none of them has that exact shape; the check reads the bytes of a
/// write once, in place, and copies nothing (see <see cref="KestrelRejections"/>).</summary>
internal sealed class RejectionRewriter(PipeWriter inner) : PipeWriter
{
    private const string Prefix = "HTTP/1.1 ";
    private static readonly byte[] Fixed = "\r\nContent-Length: 0\r\nConnection: close\r\nDate: "u8.ToArray();
    private const int MaxHead = 160;

    private Memory<byte> _lent;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes <= MaxHead && bytes <= _lent.Length && Refusal(_lent.Span[..bytes]) is { } refusal)
        {
            // Nothing of the lent memory is committed: the problem answer is written in its place.
            var answer = Answer(refusal.Status, refusal.Date);
            answer.CopyTo(inner.GetSpan(answer.Length));
            inner.Advance(answer.Length);
            return;
        }

        inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    /// <summary>The status and date of a bare refusal, or null for anything else.</summary>
    private static (int Status, string Date)? Refusal(ReadOnlySpan<byte> head)
    {
        if (head.Length < Prefix.Length + 3 || head[0] != (byte)'H' || !head.StartsWith("HTTP/1.1 "u8) || !head.EndsWith("\r\n\r\n"u8)
            || !int.TryParse(Encoding.ASCII.GetString(head.Slice(Prefix.Length, 3)), out var status) || status is < 400 or > 599)
        {
            return null;
        }

        var lineEnd = head.IndexOf("\r\n"u8);
        var rest = head[lineEnd..];
        if (!rest.StartsWith(Fixed))
        {
            return null;
        }

        var date = rest[Fixed.Length..^4];
        return date.IndexOfAny((byte)'\r', (byte)'\n') < 0 ? (status, Encoding.ASCII.GetString(date)) : null;
    }

    private static byte[] Answer(int status, string date)
    {
        var code = ErrorCodes.ForStatus(status);
        var requestId = RequestLogging.NewId();
        // The framework's defaults for type and title, as every other problem carries them.
        var problem = TypedResults.Problem(new ProblemDetails { Status = status, Detail = Detail(status) }).ProblemDetails;
        problem.Extensions["error_code"] = code.Code;
        problem.Extensions["request_id"] = requestId;
        var body = JsonSerializer.SerializeToUtf8Bytes(problem, JsonSerializerOptions.Web);
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n")
            .Append($"Content-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\nDate: {date}\r\n")
            .Append($"X-Request-Id: {requestId}\r\n");
        foreach (var (name, value) in SecurityHeaders.For(docs: false))
        {
            head.Append($"{name}: {value}\r\n");
        }

        return [.. Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), .. body];
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static string Detail(int status) => status switch
    {
        400 => "The request could not be read: a malformed request or header line, a character HTTP does not allow, or an encoded NUL in the target.",
        408 => "The request headers did not arrive in time.",
        414 => "The request line is longer than 8 KiB.",
        431 => "The request has more than 100 headers, or more header bytes than are accepted.",
        505 => "This server speaks HTTP/1.0, HTTP/1.1 and HTTP/2.",
        _ => ReasonPhrase(status),
    };
}
