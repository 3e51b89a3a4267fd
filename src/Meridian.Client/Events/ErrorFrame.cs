using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary><c>error</c> <c>{error_code, message, retry_after_ms?}</c>.</summary>
public sealed class ErrorFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public string? ErrorCode => Raw.Text("error_code");

    public string? Message => Raw.Text("message");

    public long? RetryAfterMs => Raw.Number("retry_after_ms");
}
