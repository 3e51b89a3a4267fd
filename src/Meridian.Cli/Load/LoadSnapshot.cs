namespace Meridian.Cli.Load;

/// <summary>The numbers at one moment: for the live progress and the final report.</summary>
internal sealed record LoadSnapshot(
    int UsersStarted, int UsersConnected, int TurnsStarted, int TurnsCompleted, int TurnsFailed, int InFlight, long Events,
    long Lost, long Duplicated, int Reconnects, int RateLimited,
    Distribution Connect, Distribution FirstEvent, Distribution TurnLatency,
    IReadOnlyDictionary<string, int> ErrorsByKind, IReadOnlyDictionary<string, IReadOnlyList<string>> ErrorSamples,
    IReadOnlyList<string> SeqViolations, IReadOnlyList<string> Drops)
{
    public int Errors => ErrorsByKind.Values.Sum();
}
