namespace Meridian.Server.Runs;

/// <summary>A failure worth retrying: a dependency that timed out, throttled (429) or failed (5xx).</summary>
public class TransientException(string message, Exception? inner = null) : Exception(message, inner);
