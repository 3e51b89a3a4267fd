using System.Buffers;
using System.IO.Pipelines;

namespace Meridian.Server.Workloads;

/// <summary>Handles one record; returns false to stop reading.</summary>
internal delegate bool RecordHandler(ReadOnlySpan<byte> record, long line);

/// <summary>Cuts a streamed body into records, one per line, without holding more than the current record: a CSV
/// record continues past a line break inside a quoted field. A line ends at LF, CRLF or a bare CR (files saved by
/// older spreadsheet tools). Blank lines are skipped and a UTF-8 byte order mark is dropped. Each record comes with
/// the line it starts on.</summary>
internal sealed class RecordFramer(PipeReader reader, bool csvQuotes)
{
    /// <summary>A record longer than this (an unterminated quote, or not a text file) ends the import.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private byte[] _copy = [];
    private long _line = 1;
    private bool _first = true;

    public enum Outcome
    {
        Completed,
        Stopped,
        RecordTooLong,
    }

    /// <summary>The line the last record handed out (or the over-long one) starts on.</summary>
    public long Line { get; private set; }

    /// <summary>Reads to the end, handing each record to <paramref name="handler"/>; between reads of the body it
    /// awaits <paramref name="afterChunk"/>, where the caller does its own I/O.</summary>
    public async Task<Outcome> ReadAsync(RecordHandler handler, Func<CancellationToken, ValueTask> afterChunk, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                var buffer = result.Buffer;
                Outcome? outcome;
                try
                {
                    outcome = Frame(ref buffer, result.IsCompleted, handler);
                }
                finally
                {
                    // Even when a handler throws: a read left pending would keep the server from draining the rest
                    // of the body, and the connection would be lost with it.
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (outcome is not null)
                {
                    return outcome.Value;
                }

                if (result.IsCompleted)
                {
                    return Outcome.Completed;
                }

                await afterChunk(ct);
            }
        }
        finally
        {
            if (_copy.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_copy);
            }
        }
    }

    /// <summary>Hands out every complete record in <paramref name="buffer"/> and leaves the rest in it. Returns an
    /// outcome when reading must end here, null to read on.</summary>
    private Outcome? Frame(ref ReadOnlySequence<byte> buffer, bool completed, RecordHandler handler)
    {
        while (true)
        {
            var scan = new SequenceReader<byte>(buffer);
            var lines = 0;
            var inQuotes = false;
            long end = -1, next = -1;
            while (scan.TryReadToAny(out ReadOnlySequence<byte> text, LineEnds, advancePastDelimiter: false))
            {
                var lineEnd = scan.Consumed;
                scan.TryRead(out var delimiter);
                if (delimiter == '\r' && !scan.IsNext((byte)'\n', advancePast: true) && scan.End && !completed)
                {
                    // A CR at the end of what has arrived so far: an LF may follow (CRLF is one line end, not two).
                    break;
                }

                lines++;
                // An escaped quote ("") flips twice, so odd counts alone mark where a quoted field opens or closes.
                if (csvQuotes && (CountQuotes(text) & 1) == 1)
                {
                    inQuotes = !inQuotes;
                }

                if (!inQuotes)
                {
                    (end, next) = (lineEnd, scan.Consumed);
                    break;
                }
            }

            ReadOnlySequence<byte> record;
            if (end >= 0)
            {
                record = buffer.Slice(0, end);
                buffer = buffer.Slice(next);
            }
            else if (completed && !buffer.IsEmpty)
            {
                record = buffer;
                buffer = buffer.Slice(buffer.End);
            }
            else
            {
                Line = _line;
                return buffer.Length > MaxRecordBytes ? Outcome.RecordTooLong : null;
            }

            Line = _line;
            _line += lines;
            if (record.Length > MaxRecordBytes)
            {
                return Outcome.RecordTooLong;
            }

            if (!Deliver(record, handler))
            {
                return Outcome.Stopped;
            }

            if (buffer.IsEmpty)
            {
                return completed ? Outcome.Completed : null;
            }
        }
    }

    private bool Deliver(ReadOnlySequence<byte> record, RecordHandler handler)
    {
        ReadOnlySpan<byte> span;
        if (record.IsSingleSegment)
        {
            span = record.FirstSpan;
        }
        else
        {
            if (_copy.Length < record.Length)
            {
                if (_copy.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_copy);
                }

                _copy = ArrayPool<byte>.Shared.Rent((int)record.Length);
            }

            record.CopyTo(_copy);
            span = _copy.AsSpan(0, (int)record.Length);
        }

        if (_first)
        {
            _first = false;
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }
        }

        return span.Trim(" \t\r"u8).IsEmpty || handler(span, Line);
    }

    private static ReadOnlySpan<byte> LineEnds => "\r\n"u8;

    private static int CountQuotes(ReadOnlySequence<byte> text)
    {
        if (text.IsSingleSegment)
        {
            return text.FirstSpan.Count((byte)'"');
        }

        var count = 0;
        foreach (var segment in text)
        {
            count += segment.Span.Count((byte)'"');
        }

        return count;
    }
}
