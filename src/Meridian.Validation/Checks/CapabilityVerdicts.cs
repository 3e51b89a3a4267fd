using System.Collections.Concurrent;

namespace Meridian.Validation.Checks;

/// <summary>The capabilities found missing so far in one validation, each with the first diagnosis that found it.
/// Only failures that cost a wait are recorded: a fault answered at once is cheaper to diagnose again, with each
/// check's own evidence, than to share.</summary>
internal sealed class CapabilityVerdicts
{
    /// <summary>The origin named for what the sign-in before the first check found (it is not a check).</summary>
    public const string SignInOrigin = "sign_in";

    private readonly ConcurrentDictionary<Capability, (string Check, Diagnosis Diagnosis)> _missing = new();

    /// <summary>Records that <paramref name="check"/> (or <see cref="SignInOrigin"/>) found the capability missing;
    /// the first record stands.</summary>
    public void Missing(Capability capability, string check, Diagnosis diagnosis) => _missing.TryAdd(capability, (check, diagnosis));

    /// <summary>Fails the calling check, without waiting, when one of the capabilities was found missing.</summary>
    public void Require(params Capability[] capabilities)
    {
        foreach (var capability in capabilities)
        {
            if (_missing.TryGetValue(capability, out var found))
            {
                throw new CheckFailedException(found.Diagnosis with
                {
                    Summary = $"not attempted: depends on {Describe(capability)}, which failed {(found.Check == SignInOrigin ? "at the sign-in before the first check" : $"in {found.Check}")}: {found.Diagnosis.Summary}",
                    DependsOn = found.Check,
                });
            }
        }
    }

    public static string Describe(Capability capability) => capability switch
    {
        Capability.SignIn => "a signed-in user",
        Capability.HttpAnswers => "the target answering HTTP",
        Capability.SocketOpens => "the WebSocket upgrade and its welcome",
        Capability.SocketAnswers => "the socket answering frames (a ping's pong)",
        Capability.SocketDeliversRunEnd => "run terminal events delivered over the socket",
        _ => "runs ending within the run timeout",
    };
}
