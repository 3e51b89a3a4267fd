using System.Diagnostics;
using Meridian.Validation.Checks;
using Meridian.Validation.Modules;

namespace Meridian.Validation;

/// <summary>Runs the selected checks one after another, each under its own timeout, and never waits past it: a
/// check that ignores cancellation is abandoned and reported as timed out. Credentials are tried first; a refused
/// credential stops the run before any check (exit 2).</summary>
public sealed class ValidationRunner(ValidationSettings settings)
{
    private readonly ValidationSettings _settings = settings.Capped();

    /// <summary>Raised before each check starts.</summary>
    public event Action<Check>? CheckStarted;

    /// <summary>Raised as each check finishes.</summary>
    public event Action<CheckResult>? CheckFinished;

    /// <summary>The checks the settings select, in order; unknown module names are an <see cref="ArgumentException"/>.</summary>
    public IReadOnlyList<Check> Selected()
    {
        var unknown = _settings.Modules.Where(m => Catalog.Find(m) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown module(s): {string.Join(", ", unknown)}; known: {string.Join(", ", Catalog.All.Select(m => m.Name))}");
        }

        return Catalog.All
            .Where(m => _settings.Modules.Count == 0 || _settings.Modules.Contains(m.Name, StringComparer.OrdinalIgnoreCase))
            .SelectMany(m => m.Checks)
            .ToList();
    }

    public async Task<ValidationReport> RunAsync(CancellationToken ct = default)
    {
        var checks = Selected();
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var session = new ValidationSession(_settings, ct);
        if (await PreflightAsync(session, checks[0].Module) is { } refused)
        {
            return new ValidationReport(_settings.Target, startedAt, clock.Elapsed, [], _settings.AllowSkip, refused);
        }

        var results = new List<CheckResult>();
        foreach (var check in checks)
        {
            ct.ThrowIfCancellationRequested();
            CheckStarted?.Invoke(check);
            var result = await RunCheckAsync(session, check, ct);
            results.Add(result);
            CheckFinished?.Invoke(result);
        }

        return new ValidationReport(_settings.Target, startedAt, clock.Elapsed, results, _settings.AllowSkip);
    }

    /// <summary>Signs in the first module's user. Refused credentials mean the suite cannot run; any other failure
    /// (the deployment unreachable, a 5xx) is left for the checks to diagnose, and a sign-in left unanswered is
    /// recorded so that they do not each wait for it again.</summary>
    private async Task<string?> PreflightAsync(ValidationSession session, string module)
    {
        var wait = _settings.EventTimeout * 2;
        try
        {
            await session.Users.ForModuleAsync(module, session.Cancellation).WaitAsync(wait, session.Cancellation);
            return null;
        }
        catch (CredentialsRefusedException ex)
        {
            return ex.Message;
        }
        catch (TimeoutException) when (!session.Cancellation.IsCancellationRequested)
        {
            await UnansweredSignIn.RecordAsync(session, wait);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !session.Cancellation.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<CheckResult> RunCheckAsync(ValidationSession session, Check check, CancellationToken ct)
    {
        var timeout = check.Timeout(_settings);
        var clock = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var context = new CheckContext(session, check, cts.Token);
        Diagnosis? diagnosis = null;
        try
        {
            // WaitAsync bounds the check even if it ignores its token.
            await check.Run(context).WaitAsync(timeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            diagnosis = ex is TimeoutException and not Meridian.Client.Socket.FrameTimeoutException || (ex is OperationCanceledException && cts.IsCancellationRequested)
                ? new Diagnosis(DiagnosisKind.CheckTimeout, $"did not finish within {timeout.TotalSeconds:0.#} s" + (context.Waiting is { } w ? $" (waiting for {w})" : ""))
                : Diagnoser.Diagnose(ex, context.Waiting);
        }
        finally
        {
            await context.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var outcome = diagnosis is null ? CheckOutcome.Passed : diagnosis.Kind == DiagnosisKind.Skipped ? CheckOutcome.Skipped : CheckOutcome.Failed;
        return new CheckResult(check, outcome, clock.Elapsed, diagnosis, context.Notes);
    }
}
