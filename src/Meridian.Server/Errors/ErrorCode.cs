namespace Meridian.Server.Errors;

/// <summary>One <c>error_code</c> of the catalogue (<see cref="ErrorCodes"/>, docs/errors.md): the HTTP status a REST
/// answer with it carries (null when the code is never an HTTP answer) and what it means on a WebSocket (null when
/// it never reaches one).</summary>
public sealed record ErrorCode(string Code, int? HttpStatus, string? OnSocket, string Meaning)
{
    /// <summary>The status of a REST answer with this code; a code without one is a socket or run code, and answering
    /// HTTP with it is a bug.</summary>
    public int Status => HttpStatus ?? throw new InvalidOperationException($"{Code} is not an HTTP answer.");

    public override string ToString() => Code;
}
