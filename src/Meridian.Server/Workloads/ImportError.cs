namespace Meridian.Server.Workloads;

/// <summary>A problem with one record of an imported file: its line (where the record starts), the field, why.</summary>
public sealed record ImportError(long Line, string? Field, string Reason);
