using Meridian.Server.Errors;

namespace Meridian.Server.Runs;

/// <summary>Accepted (run and thread ids) or refused (a code of the catalogue, docs/errors.md, a message, and for
/// <c>RATE_LIMITED</c> when to retry). REST answers a refusal with the code's status, the gateway with an error frame.</summary>
public sealed record StartRunResult(string? RunId, string? ThreadId, ErrorCode? Error, string? Message, int? RetryAfterMs = null)
{
    public bool Accepted => RunId is not null;

    public string? ErrorCode => Error?.Code;

    public static StartRunResult Refused(ErrorCode code, string message, int? retryAfterMs = null) => new(null, null, code, message, retryAfterMs);
}
