using System.Text.Json;
using System.Text.Unicode;

namespace Meridian.Server.Workloads;

/// <summary>Reads one JSON Lines record (a JSON object on one line) into its field values. Numbers keep their text,
/// so CSV and JSON Lines values are checked by the same rules; <c>null</c> means absent; other properties are ignored.</summary>
internal static class JsonLinesRecord
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };

    /// <summary>Returns null when the record was read, else what is wrong with it (and the field, when one is).</summary>
    public static (UsageField? Field, string Reason)? Read(ReadOnlySpan<byte> line, RowFields row)
    {
        // The reader checks a string's UTF-8 only when the string is read, and then throws: check the line first.
        if (!Utf8.IsValid(line))
        {
            return (null, "is not valid UTF-8 text");
        }

        var reader = new Utf8JsonReader(line, Options);
        UsageField? field = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, "is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                field = null;
                field = PropertyField(ref reader);
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String when field is { } f:
                        var destination = row.Reserve(reader.ValueSpan.Length);
                        row.Commit(f, reader.CopyString(destination));
                        break;
                    case JsonTokenType.Number when field is { } f:
                        row.Set(f, reader.ValueSpan);
                        break;
                    case JsonTokenType.Null when field is { } f:
                        row.Remove(f);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.True or JsonTokenType.False when field is { } f:
                        return (f, "must be a string or a number");
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                return (null, "has text after the JSON object");
            }

            return null;
        }
        catch (JsonException ex)
        {
            return (null, "is not valid JSON: " + ex.Message);
        }
        catch (InvalidOperationException)
        {
            // Valid JSON syntax, but no string can hold it (docs/workloads.md).
            return (field, "holds a \\u escape that names half of a surrogate pair alone");
        }
    }

    private static UsageField? PropertyField(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return UsageFields.Find(reader.ValueSpan);
        }

        Span<byte> name = stackalloc byte[64];
        return reader.ValueSpan.Length <= name.Length ? UsageFields.Find(name[..reader.CopyString(name)]) : null;
    }
}
