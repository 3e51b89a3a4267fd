using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Meridian.Server.Errors;

namespace Meridian.Server.Http;

/// <summary>The output side of a connection (<see cref="ServerRejections"/>). Between two flushes, bytes that begin
/// with <c>H</c> may start an HTTP/1.x answer: they are held back until the end of its header block shows what it
/// is. Kestrel's rejection is a header block alone, status 400 or more, <c>Content-Length: 0</c>,
/// <c>Connection: close</c>, no <c>Content-Type</c> and no <c>X-Request-Id</c> (every answer of the pipeline has
/// one), flushed, and then the connection ends. Only when all of that holds is it replaced, as the connection ends, by the same status with a
/// problem body and the headers every answer carries; so a response body that merely looks like one is never
/// rewritten on a connection that goes on, and nothing can shift the answers that follow. Anything else is released
/// as it was: WebSocket and HTTP/2 frames and TLS records never begin with <c>H</c> and pass straight through, and
/// an answer's bytes are held only until the end of its headers.</summary>
internal sealed class RejectionRewriter(PipeWriter inner) : PipeWriter
{
    /// <summary>A rejection's header block is a few hundred bytes; past this, held bytes are surely something else.</summary>
    private const int MaxHeld = 8 * 1024;

    private static ReadOnlySpan<byte> EndOfHeaders => "\r\n\r\n"u8;

    private readonly ArrayBufferWriter<byte> _held = new(512);
    private Memory<byte> _lent;
    private Mode _mode = Mode.Start;
    private bool _ended;

    private enum Mode
    {
        /// <summary>Nothing written since the last flush.</summary>
        Start,

        /// <summary>Holding bytes that may be a rejection.</summary>
        Holding,

        /// <summary>A flushed header block that is a rejection if the connection now ends.</summary>
        Pending,

        /// <summary>Passing bytes straight through until the next flush.</summary>
        Through,
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_mode == Mode.Pending)
        {
            // The connection goes on: what was held was no rejection. Out it goes, before memory is lent again.
            Release();
            _mode = Mode.Start;
        }

        return _lent = inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_mode == Mode.Start && bytes > 0)
        {
            _mode = _lent.Span[0] == (byte)'H' ? Mode.Holding : Mode.Through;
        }

        if (_mode != Mode.Holding)
        {
            inner.Advance(bytes);
            return;
        }

        // Copied aside, and the inner writer not advanced: its next GetMemory lends the same bytes again.
        _held.Write(_lent.Span[..bytes]);
        var headersEnd = _held.WrittenSpan.IndexOf(EndOfHeaders);
        if (_held.WrittenCount > MaxHeld || (headersEnd >= 0 && !MayBeRejection(_held.WrittenSpan[..(headersEnd + EndOfHeaders.Length)])))
        {
            Release();
            _mode = Mode.Through;
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_mode == Mode.Holding)
        {
            var held = _held.WrittenSpan;
            if (held.IndexOf(EndOfHeaders) == held.Length - EndOfHeaders.Length && MayBeRejection(held))
            {
                _mode = Mode.Pending;
                return inner.FlushAsync(cancellationToken);
            }

            Release();
        }

        if (_mode != Mode.Pending)
        {
            _mode = Mode.Start;
        }

        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (!_ended)
        {
            End();
        }

        inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (!_ended)
        {
            End();
            await inner.FlushAsync();
        }

        await inner.CompleteAsync(exception);
    }

    /// <summary>Kestrel is done with the connection: a pending rejection is replaced and sent; anything else held
    /// goes out as it was.</summary>
    public async ValueTask EndAsync()
    {
        if (_ended)
        {
            return;
        }

        End();
        try
        {
            await inner.FlushAsync();
        }
        catch (InvalidOperationException)
        {
            // The writer was completed already: nothing more can be sent.
        }
    }

    private void End()
    {
        _ended = true;
        if (_held.WrittenCount == 0)
        {
            return;
        }

        try
        {
            if (_mode == Mode.Pending)
            {
                inner.Write(Rewrite(_held.WrittenSpan));
                _held.ResetWrittenCount();
            }

            Release();
        }
        catch (InvalidOperationException)
        {
            // The writer was completed already: nothing more can be sent.
        }
    }

    private void Release()
    {
        if (_held.WrittenCount > 0)
        {
            inner.Write(_held.WrittenSpan);
            _held.ResetWrittenCount();
        }
    }

    /// <summary>Whether a header block looks like Kestrel's own rejection (see the class summary).</summary>
    private static bool MayBeRejection(ReadOnlySpan<byte> headers)
    {
        if (!(headers.StartsWith("HTTP/1.1 "u8) || headers.StartsWith("HTTP/1.0 "u8)) || Status(headers) is not (>= 400 and <= 599))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(headers);
        return text.Contains("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase)
            && text.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase)
            && !text.Contains("\r\n" + RequestLogging.Header + ":", StringComparison.OrdinalIgnoreCase)
            && !text.Contains("\r\nContent-Type:", StringComparison.OrdinalIgnoreCase);
    }

    private static int Status(ReadOnlySpan<byte> headers) =>
        headers.Length > 12 && int.TryParse(headers.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;

    /// <summary>The same status line and headers, less <c>Content-Length</c>, plus the headers every answer carries
    /// and a problem body.</summary>
    private static byte[] Rewrite(ReadOnlySpan<byte> original)
    {
        var status = Status(original);
        var requestId = RequestLogging.NewId();
        var defaults = TypedResults.Problem(statusCode: status).ProblemDetails;
        var body = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            if (defaults.Type is { } type)
            {
                json.WriteString("type", type);
            }

            json.WriteString("title", defaults.Title);
            json.WriteNumber("status", status);
            json.WriteString("detail", Detail(status));
            json.WriteString("error_code", ErrorCodes.ForStatus(status));
            json.WriteString("request_id", requestId);
            json.WriteEndObject();
        }

        var lines = Encoding.ASCII.GetString(original).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var added = new HeaderDictionary
        {
            ["Content-Type"] = "application/problem+json",
            ContentLength = body.WrittenCount,
            [RequestLogging.Header] = requestId,
        };
        SecurityHeaders.Apply(added, docs: false, https: false);
        lines.AddRange(added.Select(h => $"{h.Key}: {h.Value}"));
        return [.. Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. body.WrittenSpan];
    }

    private static string Detail(int status) => status switch
    {
        400 => "The request line or headers are malformed (for example a path holding %00, or a header line without a colon).",
        408 => "The request headers did not arrive in time.",
        414 => "The request target is longer than the server accepts.",
        431 => "The request headers are larger than the server accepts (Authorization included).",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
