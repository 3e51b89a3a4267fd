namespace Meridian.Validation.Checks;

/// <summary>Something many checks need from the deployment. When a check waits in vain for one of these, the
/// failure is recorded against it (<see cref="CapabilityVerdicts"/>), and every later check that needs it fails at
/// once with that diagnosis instead of waiting it out again (docs/cli.md#21-shared-verdicts).</summary>
public enum Capability
{
    /// <summary>The sign-in before the first check is answered in time, so the checks have a user.</summary>
    SignIn,

    /// <summary>The target answers HTTP at all (the sign-in and <c>GET /health</c> both got no answer otherwise).</summary>
    HttpAnswers,

    /// <summary>The WebSocket upgrade of the target's <c>/ws</c> is answered, and the welcome sent, in time.</summary>
    SocketOpens,

    /// <summary>A socket answers the frames sent on it: a ping gets its pong within the event timeout.</summary>
    SocketAnswers,

    /// <summary>A run's terminal event reaches the socket that follows it once the run has ended.</summary>
    SocketDeliversRunEnd,

    /// <summary>A run ends on the server within the run timeout.</summary>
    RunsEnd,
}
