using System.Text;

namespace Meridian.Server.Workloads;

/// <summary>Splits one CSV record (RFC 4180: comma-separated, fields optionally in double quotes with "" for a
/// quote, line breaks allowed inside quotes) into its field values.</summary>
internal static class CsvRecord
{
    /// <summary>Where the values of a record go: <see cref="Begin"/> gives room for field <c>index</c> (or false to
    /// drop it), <see cref="End"/> says how many bytes it took.</summary>
    public interface ISink
    {
        bool Begin(int index, int maxLength, out Span<byte> destination);

        void End(int index, int length);
    }

    /// <summary>Splits <paramref name="record"/>; returns the number of fields, or null with
    /// <paramref name="error"/> when a quoted field is malformed.</summary>
    public static int? Split<TSink>(ReadOnlySpan<byte> record, ref TSink sink, out string? error)
        where TSink : ISink, allows ref struct
    {
        error = null;
        var index = 0;
        var i = 0;
        while (true)
        {
            var rest = record[i..];
            var keep = sink.Begin(index, rest.Length, out var destination);
            var length = 0;
            if (!rest.IsEmpty && rest[0] == '"')
            {
                i++;
                while (true)
                {
                    var quote = record[i..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        error = $"field {index + 1} opens a quote that is never closed";
                        return null;
                    }

                    if (keep)
                    {
                        record.Slice(i, quote).CopyTo(destination[length..]);
                    }

                    length += quote;
                    i += quote + 1;
                    if (i < record.Length && record[i] == '"')
                    {
                        if (keep)
                        {
                            destination[length] = (byte)'"';
                        }

                        length++;
                        i++;
                        continue;
                    }

                    break;
                }

                if (i < record.Length && record[i] != ',')
                {
                    error = $"field {index + 1} has text after its closing quote";
                    return null;
                }
            }
            else
            {
                var comma = rest.IndexOf((byte)',');
                var value = comma < 0 ? rest : rest[..comma];
                if (keep)
                {
                    value.CopyTo(destination);
                }

                length = value.Length;
                i += value.Length;
            }

            if (keep)
            {
                sink.End(index, length);
            }

            index++;
            if (i >= record.Length)
            {
                return index;
            }

            i++; // the comma; a record ending in one has an empty last field, which the loop reads next
        }
    }

    /// <summary>The cells of a header row, as text.</summary>
    public static List<string>? Header(ReadOnlySpan<byte> record, out string? error)
    {
        var sink = new TextSink(new byte[record.Length], []);
        return Split(record, ref sink, out error) is null ? null : sink.Cells;
    }

    private struct TextSink(byte[] scratch, List<string> cells) : ISink
    {
        public readonly List<string> Cells => cells;

        public readonly bool Begin(int index, int maxLength, out Span<byte> destination)
        {
            destination = scratch;
            return true;
        }

        public readonly void End(int index, int length) => cells.Add(Encoding.UTF8.GetString(scratch, 0, length));
    }
}
