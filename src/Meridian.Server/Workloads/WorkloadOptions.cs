namespace Meridian.Server.Workloads;

/// <summary>Section <c>Workloads</c>: limits of usage-record imports and synthetic workloads.</summary>
public sealed class WorkloadOptions
{
    public const string Section = "Workloads";

    /// <summary>Largest import body (this route only; others keep <c>Server:MaxRequestBodyBytes</c>).</summary>
    public long MaxImportBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Problems listed in an import answer; all are counted.</summary>
    public int MaxReportedErrors { get; set; } = 100;

    /// <summary>Most records one synthetic workload may generate.</summary>
    public int MaxSyntheticRecords { get; set; } = 2_000_000;
}
