namespace Meridian.Validation.Checks;

/// <summary>Thrown by a check that cannot run here (a skip is a failure unless skips are allowed).</summary>
public sealed class CheckSkippedException(string reason) : Exception(reason);
