using Meridian.Validation;

namespace Meridian.Cli.Load;

/// <summary>What a load test does: how many virtual users, for how long, and what each one says.</summary>
internal sealed record LoadSettings
{
    public const string DefaultMessage =
        "We spend about $12k a month on GPT-4o for support chat and document Q&A; p95 latency is 4 s. How can we cut the cost by 40% without making it slower?";

    public required Uri Target { get; init; }

    public required Credentials Credentials { get; init; }

    public int Users { get; init; } = 10;

    /// <summary>New turns start until this much time has passed since the start (the ramp included); turns under
    /// way then are finished.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>User starts are spread evenly over this time.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    /// <summary>Pause between a user's turns.</summary>
    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromSeconds(2);

    public string Message { get; init; } = DefaultMessage;

    /// <summary>Wait for one answer: the socket upgrade and welcome, <c>run_accepted</c>.</summary>
    public TimeSpan EventTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Wait for a turn's terminal event after the message was sent.</summary>
    public TimeSpan TurnTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Makes this test's minted users distinct from earlier tests' (so their rate limits do not carry over).</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..8];
}
