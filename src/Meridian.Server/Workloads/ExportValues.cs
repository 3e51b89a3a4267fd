using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>Reading the JSON values of an export and putting them into a row's fields. Values are passed on as
/// text wherever they map onto one field, so that the validator checks them by the same rules as every format.</summary>
internal static class ExportValues
{
    /// <summary>A property of an object, following a path (<c>"usage_object", "prompt_tokens_details"</c>); null
    /// when any step is absent, JSON null, or not an object.</summary>
    public static JsonElement? Field(this JsonElement? value, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (value is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(name, out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            value = next;
        }

        return value;
    }

    public static JsonElement? Field(this JsonElement value, params ReadOnlySpan<string> path) => ((JsonElement?)value).Field(path);

    /// <summary>A string's text, a number's digits; null for anything else.</summary>
    public static string? Text(this JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.String => value.Value.GetString(),
        JsonValueKind.Number => value.Value.GetRawText(),
        _ => null,
    };

    /// <summary>A whole number given as a number or as a string of digits; absent counts as 0. False when it is
    /// something else, or negative.</summary>
    public static bool TryCount(this JsonElement? value, out long count)
    {
        count = 0;
        return value is null || (long.TryParse(value.Text(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 0);
    }

    /// <summary>Puts a value into a field as text: a string unescaped, anything else as its JSON text (which the
    /// validator then refuses by the field's rules). Absent leaves the field absent.</summary>
    public static void Set(this RowFields row, UsageField field, JsonElement? value)
    {
        if (value is { } v)
        {
            row.Set(field, v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText());
        }
    }

    public static void Set(this RowFields row, UsageField field, string? value)
    {
        if (value is not null)
        {
            var bytes = row.Reserve(Encoding.UTF8.GetMaxByteCount(value.Length));
            row.Commit(field, Encoding.UTF8.GetBytes(value, bytes));
        }
    }

    public static void Set(this RowFields row, UsageField field, long value) => row.Set(field, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets the latency to the milliseconds from <paramref name="start"/> to <paramref name="end"/> (ISO-8601
    /// timestamps). Without an end the latency stays unknown (docs/workloads.md#12-unknown-latency); a start that is
    /// not a timestamp is reported by the timestamp's own check. False, with the row refused, when the end is not a
    /// timestamp or comes before the start.</summary>
    public static bool TrySetLatency(this RowIntake rows, long line, JsonElement? start, JsonElement? end, string endName)
    {
        if (end is null)
        {
            return true;
        }

        if (end.Text() is not { } to || !IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(to), out var endMs))
        {
            rows.Reject(line, endName, "must be an ISO-8601 timestamp such as 2026-11-21T10:00:00Z");
            return false;
        }

        if (start.Text() is not { } from || !IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(from), out var startMs))
        {
            return true;
        }

        if (endMs < startMs)
        {
            rows.Reject(line, endName, "is before the start time");
            return false;
        }

        rows.Row.Set(UsageField.LatencyMs, endMs - startMs);
        return true;
    }

    /// <summary>Adds a token count (absent: 0) to <paramref name="sum"/>; false, with the row refused, when it is not a
    /// whole number within a record's bounds.</summary>
    public static bool TryAdd(this RowIntake rows, long line, string name, JsonElement? value, ref long sum)
    {
        if (value.TryCount(out var count) && count <= UsageRowValidator.MaxRecordTokens)
        {
            sum += count;
            return true;
        }

        rows.Reject(line, name, $"must be a whole number from 0 to {UsageRowValidator.MaxRecordTokens}");
        return false;
    }
}
