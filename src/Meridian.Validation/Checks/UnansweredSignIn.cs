using System.Diagnostics;
using Meridian.Client.Socket;

namespace Meridian.Validation.Checks;

/// <summary>What a sign-in left unanswered says: the checks have no user (each would wait for it to its own
/// timeout), and, when <c>GET /health</c> gets no answer either, the target answers no HTTP at all (each check
/// would wait for its requests). Both are recorded as missing before the first check
/// (docs/cli.md#21-shared-verdicts).</summary>
internal static class UnansweredSignIn
{
    public static async Task RecordAsync(ValidationSession session, TimeSpan waited)
    {
        var (answered, health) = await ProbeHealthAsync(session);
        var signIn = $"no answer to the sign-in within {waited.TotalSeconds:0.#} s";
        if (answered)
        {
            session.Verdicts.Missing(Capability.SignIn, CapabilityVerdicts.SignInOrigin, new Diagnosis(DiagnosisKind.ResponseTimeout, signIn, health));
            return;
        }

        var diagnosis = new Diagnosis(DiagnosisKind.ResponseTimeout, $"{signIn}, nor to GET /health ({health})", $"GET /health: {health}");
        session.Verdicts.Missing(Capability.SignIn, CapabilityVerdicts.SignInOrigin, diagnosis);
        session.Verdicts.Missing(Capability.HttpAnswers, CapabilityVerdicts.SignInOrigin, diagnosis);
    }

    /// <summary>Whether <c>GET /health</c> gets an answer (any status) within the event timeout, and what happened.</summary>
    private static async Task<(bool Answered, string What)> ProbeHealthAsync(ValidationSession session)
    {
        var clock = Stopwatch.StartNew();
        var timeout = session.Settings.EventTimeout;
        try
        {
            var answer = await session.Anonymous.SendAsync(HttpMethod.Get, "/health", ct: session.Cancellation).WaitAsync(timeout, session.Cancellation);
            return (true, $"GET /health answered {answer.Status} in {clock.Elapsed.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !session.Cancellation.IsCancellationRequested)
        {
            return (false, ex is TimeoutException or OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : TransportFailure.RootMessage(ex));
        }
    }
}
