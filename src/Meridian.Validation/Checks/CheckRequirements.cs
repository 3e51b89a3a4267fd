using System.Text.Json;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Validation.Contract;

namespace Meridian.Validation.Checks;

/// <summary>The requirements a check states: each fails the check with a diagnosis (docs/cli.md#24-diagnoses) when it does not
/// hold, naming what was expected and showing what came instead.</summary>
public static class CheckRequirements
{
    /// <summary>Fails with this diagnosis unless <paramref name="holds"/>.</summary>
    public static void Require(bool holds, DiagnosisKind kind, string summary, params string[] evidence)
    {
        if (!holds)
        {
            throw new CheckFailedException(new Diagnosis(kind, summary, evidence));
        }
    }

    /// <summary>Fails with the violations of the given kinds (all kinds when none are given).</summary>
    public static void RequireContract(RunTranscript run, params DiagnosisKind[] kinds)
    {
        var violations = RunContract.Verify(run.Events, run.RunId, run.ThreadId).Where(v => kinds.Length == 0 || kinds.Contains(v.Kind)).ToList();
        if (violations.Count > 0)
        {
            throw new CheckFailedException(new Diagnosis(violations[0].Kind,
                $"{run.RunId}: {violations[0].Message}" + (violations.Count > 1 ? $" (+{violations.Count - 1} more)" : ""),
                [.. violations.Select(v => v.Message), .. Diagnoser.Frames(run.Events.TakeLast(12))]));
        }
    }

    /// <summary>Fails unless the run ended with <c>agent_completed</c>.</summary>
    public static AgentCompleted RequireCompleted(RunTranscript run) =>
        run.Completed ?? throw new CheckFailedException(new Diagnosis(DiagnosisKind.RunFailed,
            run.Terminal is AgentFailed f ? $"{run.RunId} ended with agent_failed {f.ErrorCode}: {f.Message}" : $"{run.RunId} ended with {run.Terminal.Type}",
            Diagnoser.Frames(run.Events.TakeLast(8))));

    public static JsonElement RequireJson(ApiResponse response, int status)
    {
        if (response.Status != status)
        {
            var diagnosis = Diagnoser.Http(response);
            throw new CheckFailedException(diagnosis with { Summary = $"{diagnosis.Summary} (expected {status})" });
        }

        Require(response.Json is { ValueKind: JsonValueKind.Object }, DiagnosisKind.ContractViolation,
            $"{response.Method} {response.Path} answered {status} with a body that is not a JSON object", [.. Diagnoser.Evidence(response)]);
        return response.Json!.Value;
    }

    /// <summary>Requires a problem body (<c>application/problem+json</c>) with this status and error code.</summary>
    public static void RequireProblem(ApiResponse response, int status, string errorCode)
    {
        if (response.Status != status)
        {
            var diagnosis = Diagnoser.Http(response);
            throw new CheckFailedException(diagnosis with { Summary = $"{diagnosis.Summary} (expected {status} {errorCode})" });
        }

        Require(response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true && response.ErrorCode == errorCode,
            DiagnosisKind.ContractViolation, $"{response.Method} {response.Path} answered {status} without a problem body naming {errorCode}",
            [.. Diagnoser.Evidence(response)]);
    }

    /// <summary>Requires <paramref name="first"/> to be the welcome of docs/protocol.md#2-the-welcome-frame for this user; else the
    /// diagnosis carries a diff.</summary>
    public static void RequireWelcome(ServerFrame first, Identity user)
    {
        var diff = WelcomeContract.Diff(first.Raw, user.UserId);
        Require(diff.Count == 0, DiagnosisKind.WelcomeMismatch,
            first is WelcomeFrame ? "the welcome frame does not match the contract" : $"the first frame is not the welcome: {Diagnoser.Shorten(first.ToString(), 160)}",
            [.. diff, "received: " + Diagnoser.Shorten(first.ToString())]);
    }
}
