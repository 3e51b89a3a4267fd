namespace Meridian.Cli;

/// <summary>The exit codes every command uses.</summary>
internal static class ExitCodes
{
    /// <summary>Done: every check passed, the token was printed.</summary>
    public const int Ok = 0;

    /// <summary>The target answered, and the answer is a failure (a failing check, refused credentials for <c>token</c>).</summary>
    public const int Failed = 1;

    /// <summary><c>prices check</c>: the list would change the catalog in use (same value as <see cref="Failed"/>, so
    /// scripts treat "prices moved" like a failing check).</summary>
    public const int Differs = 1;

    /// <summary>Could not run: bad arguments, credentials the suite cannot use, an interruption.</summary>
    public const int NotRun = 2;
}
