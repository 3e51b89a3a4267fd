using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>Handles one item of a JSON export; returns false to stop reading.</summary>
internal delegate bool JsonItemHandler(ReadOnlySequence<byte> item, long line);

/// <summary>Cuts the items out of a streamed JSON export without holding more than one item: a top-level array of
/// items, an object whose <c>data</c> array holds them (other properties are passed over), or items one after
/// another (JSON Lines); with <c>pages</c>, the top-level values are pages whose <c>data</c> holds the items, alone,
/// in an array, or one after another. The body is read with <see cref="Utf8JsonReader"/> chunk by chunk; an item
/// (or a passed-over value) longer than <see cref="RecordFramer.MaxRecordBytes"/> ends the import, as a record of
/// that length does in CSV (docs/workloads.md#4-limits).</summary>
internal sealed class JsonItemFramer(PipeReader reader, bool pages, bool rootObjectIsItem)
{
    private static readonly JsonReaderOptions Options = new() { AllowMultipleValues = true, MaxDepth = 64 };

    private JsonReaderState _state = new(Options);
    private Place _place = Place.Root;
    private bool _inRootArray, _sawData, _sawValue;
    private long _line = 1;
    private long _counted;

    public enum Outcome
    {
        Completed,
        Stopped,
        ItemTooLong,
        Malformed,
        Empty,
    }

    /// <summary>Where the reader is: what the next token may be.</summary>
    private enum Place
    {
        Root,
        PageArray,
        Page,
        PageValue,
        Data,
        Items,
    }

    /// <summary>The line the last item (or the problem) starts on.</summary>
    public long Line { get; private set; }

    /// <summary>What is wrong with a malformed document.</summary>
    public string? Problem { get; private set; }

    public async Task<Outcome> ReadAsync(JsonItemHandler handler, Func<CancellationToken, ValueTask> afterChunk, CancellationToken ct)
    {
        var first = true;
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            if (first && !SkipByteOrderMark(ref buffer, result.IsCompleted))
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            first = false;
            _counted = 0;
            long consumed = 0;
            Outcome? outcome;
            try
            {
                outcome = Frame(buffer, result.IsCompleted, handler, out consumed);
            }
            finally
            {
                // As in RecordFramer: a read left pending would keep the server from draining the rest of the body.
                reader.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            }

            if (outcome is { } done)
            {
                return done;
            }

            if (result.IsCompleted)
            {
                return _sawValue ? Outcome.Completed : Outcome.Empty;
            }

            await afterChunk(ct);
        }
    }

    /// <summary>Drops a UTF-8 byte order mark; false while too few bytes have arrived to tell.</summary>
    private static bool SkipByteOrderMark(ref ReadOnlySequence<byte> buffer, bool completed)
    {
        if (buffer.Length < 3 && !completed)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[3];
        if (buffer.Length >= 3)
        {
            buffer.Slice(0, 3).CopyTo(head);
            if (head.SequenceEqual("\uFEFF"u8))
            {
                buffer = buffer.Slice(3);
            }
        }

        return true;
    }

    private Outcome? Frame(ReadOnlySequence<byte> buffer, bool completed, JsonItemHandler handler, out long consumed)
    {
        var json = new Utf8JsonReader(buffer, completed, _state);
        consumed = 0;
        try
        {
            while (true)
            {
                var before = json.CurrentState;
                var beforeConsumed = json.BytesConsumed;
                if (!json.Read())
                {
                    break;
                }

                _sawValue = true;
                switch (Next(ref json, buffer, handler))
                {
                    case Step.NeedMore:
                        // The value is not all here yet: read it again, from its start, once more has arrived.
                        // Lines up to there are counted now: the next chunk starts there.
                        (_state, consumed) = (before, beforeConsumed);
                        Line = LineAt(buffer, consumed);
                        return buffer.Length - consumed > RecordFramer.MaxRecordBytes ? Outcome.ItemTooLong : null;
                    case Step.TooLong:
                        consumed = json.BytesConsumed;
                        return Outcome.ItemTooLong;
                    case Step.Stop:
                        consumed = json.BytesConsumed;
                        return Outcome.Stopped;
                }
            }

            (_state, consumed) = (json.CurrentState, json.BytesConsumed);
            Line = LineAt(buffer, consumed);
            if (completed && _place != Place.Root)
            {
                Problem = "the JSON document ends before it is complete";
                return Outcome.Malformed;
            }

            // One token (a long string) bigger than a record may be would be held whole before it could be passed over.
            return !completed && buffer.Length - consumed > RecordFramer.MaxRecordBytes ? Outcome.ItemTooLong : null;
        }
        catch (JsonException ex)
        {
            consumed = json.BytesConsumed;
            Line = ex.LineNumber is { } zeroBased ? zeroBased + 1 : LineAt(buffer, consumed);
            Problem = "is not valid JSON here: " + ex.Message;
            return Outcome.Malformed;
        }
    }

    /// <summary>The line of <paramref name="offset"/> in the current chunk: line ends (LF) are counted once, as the
    /// reader moves forward.</summary>
    private long LineAt(ReadOnlySequence<byte> buffer, long offset)
    {
        if (offset > _counted)
        {
            foreach (var segment in buffer.Slice(_counted, offset - _counted))
            {
                _line += segment.Span.Count((byte)'\n');
            }

            _counted = offset;
        }

        return _line;
    }

    private enum Step
    {
        Next,
        NeedMore,
        TooLong,
        Stop,
    }

    private Step Next(ref Utf8JsonReader json, ReadOnlySequence<byte> buffer, JsonItemHandler handler)
    {
        var token = json.TokenType;
        switch (_place)
        {
            case Place.Root when token == JsonTokenType.StartArray:
                _inRootArray = true;
                _place = pages ? Place.PageArray : Place.Items;
                return Step.Next;
            case Place.Root when token == JsonTokenType.StartObject && (pages || !rootObjectIsItem):
            case Place.PageArray when token == JsonTokenType.StartObject:
                (_place, _sawData) = (Place.Page, false);
                Line = LineAt(buffer, json.TokenStartIndex);
                return Step.Next;
            case Place.PageArray when token == JsonTokenType.EndArray:
                (_place, _inRootArray) = (Place.Root, false);
                return Step.Next;
            case Place.Page when token == JsonTokenType.PropertyName:
                _place = json.ValueTextEquals("data"u8) ? Place.Data : Place.PageValue;
                _sawData |= _place == Place.Data;
                return Step.Next;
            case Place.Page when token == JsonTokenType.EndObject:
                if (!_sawData)
                {
                    throw new JsonException($"the object that starts on line {Line} has no \"data\" array (is the format right?)");
                }

                _place = _inRootArray ? Place.PageArray : Place.Root;
                return Step.Next;
            case Place.PageValue:
                if (!json.TrySkip())
                {
                    return Step.NeedMore;
                }

                _place = Place.Page;
                return Step.Next;
            case Place.Data when token == JsonTokenType.StartArray:
                _place = Place.Items;
                return Step.Next;
            case Place.Items when token == JsonTokenType.EndArray:
                // The end of a page's data, or of a top-level array of items.
                _place = _inRootArray && !pages ? Place.Root : Place.Page;
                _inRootArray &= pages;
                return Step.Next;
            case Place.Root:
            case Place.Items:
                return Item(ref json, buffer, handler);
            default:
                throw new JsonException($"\"data\" must be an array of items, not {token}");
        }
    }

    /// <summary>Hands out the value that starts at the current token, once all of it has arrived.</summary>
    private Step Item(ref Utf8JsonReader json, ReadOnlySequence<byte> buffer, JsonItemHandler handler)
    {
        var start = json.TokenStartIndex;
        if (!json.TrySkip())
        {
            return Step.NeedMore;
        }

        Line = LineAt(buffer, start);
        if (json.BytesConsumed - start > RecordFramer.MaxRecordBytes)
        {
            return Step.TooLong;
        }

        return handler(buffer.Slice(start, json.BytesConsumed - start), Line) ? Step.Next : Step.Stop;
    }

    /// <summary>Turns an outcome that ends the import into its problem (docs/workloads.md#22-import).</summary>
    public static void Report(Outcome outcome, JsonItemFramer framer, ParsedImport parsed)
    {
        var problem = outcome switch
        {
            Outcome.ItemTooLong => $"starts an item longer than {RecordFramer.MaxRecordBytes} bytes",
            Outcome.Malformed => framer.Problem,
            Outcome.Empty => "the file is empty",
            _ => null,
        };
        if (problem is not null)
        {
            parsed.Errors.Add(new ImportError(framer.Line, null, problem));
            parsed.Fatal = $"Line {framer.Line}: {problem}.";
        }
    }
}
