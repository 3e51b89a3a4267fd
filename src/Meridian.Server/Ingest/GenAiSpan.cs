using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Meridian.Server.Ingest.Otlp;
using Meridian.Server.Workloads;

namespace Meridian.Server.Ingest;

/// <summary>Reads one span's GenAI attributes (OpenTelemetry's GenAI semantic conventions, and the older names
/// instrumentations still send) into the fields of a usage record, so that spans are checked by the same rules as
/// imported files (docs/ingest.md#3-from-span-to-record).</summary>
internal sealed class GenAiSpan(string featureAttribute)
{
    /// <summary>Operations that are not one model call: an agent's span carries its model, but its tokens are those
    /// of the chat spans below it, which count them already.</summary>
    private static readonly HashSet<string> NotModelCalls = new(StringComparer.Ordinal) { "invoke_agent", "create_agent", "execute_tool" };

    private string? _requestModel, _responseModel, _provider, _system, _operation, _input, _output, _cached, _cost, _feature, _hash;
    private AnyValue? _prompt;
    private bool _errorType;

    /// <summary>The feature a resource gives its spans (read once per resource, not once per span).</summary>
    public string? ResourceFeature(RepeatedField<KeyValue> resource) => Find(resource, featureAttribute);

    /// <summary>Fills <paramref name="row"/> from the span; false when the span is not a model call (nothing filled).</summary>
    public bool TryRead(Span span, string? resourceFeature, RowFields row)
    {
        Reset();
        foreach (var attribute in span.Attributes)
        {
            Take(attribute.Key, attribute.Value);
        }

        var model = _responseModel ?? _requestModel;
        if (model is null || (_operation is not null && NotModelCalls.Contains(_operation)))
        {
            return false;
        }

        _feature ??= resourceFeature;
        row.Clear();
        // OTLP's 0 means "unknown": without a start the record has no timestamp, and is refused for it.
        Set(row, UsageField.Timestamp, span.StartTimeUnixNano == 0 || span.EndTimeUnixNano == 0 ? null : Iso(span.StartTimeUnixNano));
        Set(row, UsageField.Model, model);
        Set(row, UsageField.Provider, _provider ?? _system);
        CachedWithinInput();
        Set(row, UsageField.InputTokens, _input ?? "0");
        Set(row, UsageField.OutputTokens, _output ?? "0");
        Set(row, UsageField.CachedInputTokens, _cached);
        Set(row, UsageField.LatencyMs, Latency(span));
        Set(row, UsageField.CostUsd, _cost);
        Set(row, UsageField.Status, span.Status?.Code == StatusCode.Error || _errorType ? "error" : "ok");
        Set(row, UsageField.Feature, _feature);
        Set(row, UsageField.PromptHash, _hash ?? (_prompt is null ? null : PromptHash(_prompt)));
        return true;
    }

    private void Reset()
    {
        _requestModel = _responseModel = _provider = _system = _operation = _input = _output = _cached = _cost = _feature = _hash = null;
        _prompt = null;
        _errorType = false;
    }

    private void Take(string key, AnyValue value)
    {
        switch (key)
        {
            case "gen_ai.request.model": _requestModel = Text(value); break;
            case "gen_ai.response.model": _responseModel = Text(value); break;
            case "gen_ai.provider.name": _provider = Text(value); break;
            case "gen_ai.system": _system = Text(value); break;
            case "gen_ai.operation.name": _operation = Text(value); break;
            case "gen_ai.usage.input_tokens" or "gen_ai.usage.prompt_tokens": _input ??= Text(value); break;
            case "gen_ai.usage.output_tokens" or "gen_ai.usage.completion_tokens": _output ??= Text(value); break;
            case "gen_ai.usage.cache_read.input_tokens" or "gen_ai.usage.cache_read_input_tokens": _cached ??= Text(value); break;
            case "gen_ai.usage.cost": _cost = Text(value); break;
            case "meridian.prompt_hash": _hash = Text(value); break;
            case "gen_ai.input.messages" or "gen_ai.prompt": _prompt = value; break;
            case "error.type": _errorType = true; break;
        }

        if (key == featureAttribute)
        {
            _feature = Text(value);
        }
    }

    /// <summary>The conventions count cache reads within the input tokens; some instrumentations (Anthropic's API
    /// counts them apart) report them beside it. More cached than input tokens can only mean the latter.</summary>
    private void CachedWithinInput()
    {
        if (long.TryParse(_cached, CultureInfo.InvariantCulture, out var cached) && long.TryParse(_input ?? "0", CultureInfo.InvariantCulture, out var input) && cached > input)
        {
            _input = (input + cached).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string? Find(RepeatedField<KeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return Text(attribute.Value);
            }
        }

        return null;
    }

    private static string? Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.ArrayValue => string.Join("\n", value.ArrayValue.Values.Select(Text)),
        _ => null,
    };

    private static string Iso(ulong unixNano) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(unixNano / 1_000_000, (ulong)IsoTimestamp.MaxUnixMs)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>End minus start in milliseconds; a span that ends before it starts gives a negative latency, which the
    /// record's check refuses.</summary>
    private static string Latency(Span span) =>
        (((double)span.EndTimeUnixNano - span.StartTimeUnixNano) / 1_000_000).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A hash of the prompt when the instrumentation recorded its content, as text or structured (messages as
    /// key-value lists): the hash covers the whole value, so equal prompts, and only they, have equal hashes. The
    /// content itself is never stored.</summary>
    private static string PromptHash(AnyValue prompt) => Convert.ToHexStringLower(SHA256.HashData(
        prompt.ValueCase == AnyValue.ValueOneofCase.StringValue ? Encoding.UTF8.GetBytes(prompt.StringValue) : prompt.ToByteArray()).AsSpan(0, 16));

    private static void Set(RowFields row, UsageField field, string? value)
    {
        if (value is not null)
        {
            row.Set(field, Encoding.UTF8.GetBytes(value));
        }
    }
}
