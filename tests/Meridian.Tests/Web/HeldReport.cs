namespace Meridian.Tests.Web;

/// <summary>While one exists, the fake model writes the first pieces of each report and then waits for
/// <see cref="Release"/>: a run stays "mid-run" exactly as long as a test needs, with no timed sleep. Disposing
/// it releases any held answer and restores the normal report.</summary>
public sealed class HeldReport : IDisposable
{
    /// <summary>How many pieces of <see cref="BrowserHarness.Report"/> reach the page before the hold.</summary>
    public const int PiecesBefore = 3;

    private readonly FakeProvider _provider;
    private readonly Reply _previous;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldReport(FakeProvider provider)
    {
        _provider = provider;
        _previous = provider.Otherwise;
        provider.Otherwise = new Held(BrowserHarness.Report, PiecesBefore, _release.Task);
    }

    /// <summary>The text on the page while the report is held (the first pieces, as rendered Markdown shows them).</summary>
    public static string VisibleBefore => "Routing simple traffic to a smaller model";

    public void Release() => _release.TrySetResult();

    public void Dispose()
    {
        _provider.Otherwise = _previous;
        Release();
    }
}
