using System.Collections.Concurrent;
using Meridian.Client;

namespace Meridian.Validation.Checks;

/// <summary>What the checks of one validation share: the settings, the users, an anonymous client, and one
/// reference run per user that several checks read (each check still exercises the deployment through it).</summary>
internal sealed class ValidationSession(ValidationSettings settings, CancellationToken cancellation) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RunTranscript>>> _referenceRuns = new(StringComparer.Ordinal);

    public ValidationSettings Settings { get; } = settings;

    public CancellationToken Cancellation { get; } = cancellation;

    public Identities Users { get; } = new(settings);

    /// <summary>The capabilities checks found missing so far, consulted by later checks before they wait.</summary>
    public CapabilityVerdicts Verdicts { get; } = new();

    public MeridianClient Anonymous { get; } = new(settings.Target, timeout: settings.EventTimeout);

    /// <summary>The user's reference run, started by the first check that asks, on a socket of its own.</summary>
    public Task<RunTranscript> ReferenceRunAsync(Identity user, Func<Task<RunTranscript>> start) =>
        _referenceRuns.GetOrAdd(user.UserId, _ => new Lazy<Task<RunTranscript>>(start)).Value;

    public void Dispose()
    {
        Users.Dispose();
        Anonymous.Dispose();
    }
}
