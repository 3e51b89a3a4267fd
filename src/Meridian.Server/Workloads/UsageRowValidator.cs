using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>Checks one record's values and turns them into a <see cref="ValidRow"/>, or reports each problem with the
/// record's line. Absent optional values get their defaults: provider from the catalog ("unknown" if the model is not
/// in it), cost from the catalog's prices, feature "default".</summary>
internal sealed class UsageRowValidator(PriceCatalog catalog, LabelTable labels)
{
    public const string DefaultFeature = "default";
    public const string UnknownProvider = "unknown";
    /// <summary>The most tokens of each kind one call may have; a record of several calls may have this many per call
    /// on average, up to <see cref="MaxRecordTokens"/>.</summary>
    public const long MaxTokens = 100_000_000;

    /// <summary>The most tokens of each kind one record may have, aggregated or not: 10¹¹ keeps the sums of tens of
    /// millions of records from overflowing a 64-bit integer.</summary>
    public const long MaxRecordTokens = 100_000_000_000;

    /// <summary>The most one record may cost: far above any real bill, and far from what a decimal sum can hold.</summary>
    public const decimal MaxCostUsd = 1_000_000_000m;

    public const long MaxRequests = 1_000_000_000;
    public const double MaxLatencyMs = 86_400_000;

    private static readonly int[] MaxBytes = [64, 200, 100, 32, 32, 32, 32, 16, 200, 256, 32, 32];

    private readonly Dictionary<int, ModelPrice?> _priceByModel = [];

    /// <summary>Whether a record may come without a latency: the usage exports of providers do not say how long calls
    /// took. Such a record's latency is unknown (NaN here, NULL when stored; docs/workloads.md#12-unknown-latency).</summary>
    public bool LatencyMayBeUnknown { get; init; }

    /// <summary>Validates <paramref name="row"/>; on success <paramref name="valid"/> holds the record. Problems are
    /// added to <paramref name="errors"/>, all of a record's at once.</summary>
    public bool TryValidate(RowFields row, long line, ImportErrors errors, out ValidRow valid)
    {
        valid = default;
        var before = errors.Count;
        foreach (var field in UsageFields.Required)
        {
            if (!row.Has(field) && !(field == UsageField.LatencyMs && LatencyMayBeUnknown))
            {
                errors.Add(line, field, "is required");
            }
        }

        for (var f = 0; f < UsageFields.Count; f++)
        {
            var value = row.Get((UsageField)f);
            if (value.Length > MaxBytes[f])
            {
                errors.Add(line, (UsageField)f, $"is longer than {MaxBytes[f]} bytes");
            }
            else if (!Utf8.IsValid(value))
            {
                errors.Add(line, (UsageField)f, "is not valid UTF-8 text");
            }
        }

        if (errors.Count > before)
        {
            return false;
        }

        var timestamp = Timestamp(row.Get(UsageField.Timestamp), line, errors);
        var requests = row.Has(UsageField.Requests) ? Requests(row.Get(UsageField.Requests), line, errors) : 1;
        var input = Tokens(row, UsageField.InputTokens, requests, line, errors);
        var output = Tokens(row, UsageField.OutputTokens, requests, line, errors);
        var cached = row.Has(UsageField.CachedInputTokens) ? Tokens(row, UsageField.CachedInputTokens, requests, line, errors) : 0;
        if (cached > input)
        {
            errors.Add(line, UsageField.CachedInputTokens, "must not exceed input_tokens (cached input tokens are part of the input)");
        }

        var latency = row.Has(UsageField.LatencyMs) ? Number(row.Get(UsageField.LatencyMs), MaxLatencyMs, UsageField.LatencyMs, line, errors) : double.NaN;
        var isError = Status(row.Get(UsageField.Status), line, errors);
        var model = Label(row.Get(UsageField.Model), UsageField.Model, line, errors);
        var price = model >= 0 ? Price(model) : null;
        var cost = row.Has(UsageField.CostUsd) ? Cost(row.Get(UsageField.CostUsd), line, errors) : price?.Cost(input, output, cached);
        if (cost is null && model >= 0)
        {
            errors.Add(line, UsageField.CostUsd,
                $"is absent and model '{labels[model]}' is not in the price catalog (as of {catalog.AsOf:yyyy-MM-dd}); give cost_usd, or add the model with Pricing:Overrides");
        }

        var provider = row.Has(UsageField.Provider)
            ? Label(row.Get(UsageField.Provider), UsageField.Provider, line, errors)
            : Label(price?.Provider ?? UnknownProvider, UsageField.Provider, line, errors);
        var feature = row.Has(UsageField.Feature)
            ? Label(row.Get(UsageField.Feature), UsageField.Feature, line, errors)
            : Label(DefaultFeature, UsageField.Feature, line, errors);
        if (errors.Count > before)
        {
            return false;
        }

        valid = new ValidRow
        {
            TimestampMs = timestamp,
            Model = model,
            Provider = provider,
            Feature = feature,
            InputTokens = input,
            OutputTokens = output,
            CachedInputTokens = cached,
            Requests = requests,
            LatencyMs = latency,
            CostUsd = (double)cost!.Value,
            IsError = isError,
            PromptHash = row.Get(UsageField.PromptHash),
        };
        return true;
    }

    private static long Timestamp(ReadOnlySpan<byte> value, long line, ImportErrors errors)
    {
        if (!IsoTimestamp.TryParse(value, out var unixMs))
        {
            errors.Add(line, UsageField.Timestamp, "must be an ISO-8601 timestamp such as 2026-11-21T10:00:00Z");
        }
        else if (unixMs is < IsoTimestamp.MinUnixMs or > IsoTimestamp.MaxUnixMs)
        {
            // 9999-12-31T23:59:59-14:00 is a well-formed timestamp, but in UTC it falls after the calendar's end.
            errors.Add(line, UsageField.Timestamp, "falls outside the calendar in UTC (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z)");
        }

        return unixMs;
    }

    private static long Requests(ReadOnlySpan<byte> value, long line, ImportErrors errors)
    {
        if (Utf8Parser.TryParse(value, out long requests, out var used) && used == value.Length && requests is >= 1 and <= MaxRequests)
        {
            return requests;
        }

        errors.Add(line, UsageField.Requests, $"must be a whole number of calls from 1 to {MaxRequests}");
        return 1;
    }

    /// <summary>A token count: at most <see cref="MaxTokens"/> per call the record stands for.</summary>
    private static long Tokens(RowFields row, UsageField field, long requests, long line, ImportErrors errors)
    {
        var value = row.Get(field);
        var max = Math.Min(MaxRecordTokens, MaxTokens * requests);
        if (Utf8Parser.TryParse(value, out long tokens, out var used) && used == value.Length && tokens >= 0 && tokens <= max)
        {
            return tokens;
        }

        errors.Add(line, field, requests == 1
            ? $"must be a whole number from 0 to {MaxTokens}"
            : $"must be a whole number from 0 to {max} ({MaxTokens} per call)");
        return 0;
    }

    private static double Number(ReadOnlySpan<byte> value, double max, UsageField field, long line, ImportErrors errors)
    {
        if (Utf8Parser.TryParse(value, out double number, out var used) && used == value.Length && number is >= 0 && number <= max)
        {
            return number;
        }

        errors.Add(line, field, $"must be a number from 0 to {max}");
        return 0;
    }

    private static decimal? Cost(ReadOnlySpan<byte> value, long line, ImportErrors errors)
    {
        if (Utf8Parser.TryParse(value, out decimal cost, out var used) && used == value.Length && cost is >= 0 and <= MaxCostUsd)
        {
            return cost;
        }

        errors.Add(line, UsageField.CostUsd, $"must be a number of US dollars from 0 to {MaxCostUsd} (or left empty to price it from the catalog)");
        return 0;
    }

    private static bool Status(ReadOnlySpan<byte> value, long line, ImportErrors errors)
    {
        if (Ascii.EqualsIgnoreCase(value, "ok"u8))
        {
            return false;
        }

        if (Ascii.EqualsIgnoreCase(value, "error"u8))
        {
            return true;
        }

        errors.Add(line, UsageField.Status, "must be 'ok' or 'error'");
        return false;
    }

    private int Label(ReadOnlySpan<byte> value, UsageField field, long line, ImportErrors errors) =>
        Checked(labels.Intern(value), field, line, errors);

    private int Label(string value, UsageField field, long line, ImportErrors errors) =>
        Checked(labels.Intern(value), field, line, errors);

    private static int Checked(int id, UsageField field, long line, ImportErrors errors)
    {
        if (id < 0)
        {
            errors.Add(line, field, $"one file may name at most {LabelTable.MaxLabels} distinct models, providers and features");
        }

        return id;
    }

    private ModelPrice? Price(int model)
    {
        if (!_priceByModel.TryGetValue(model, out var price))
        {
            price = catalog.Find(labels[model]);
            _priceByModel[model] = price;
        }

        return price;
    }
}
