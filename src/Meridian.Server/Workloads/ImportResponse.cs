namespace Meridian.Server.Workloads;

/// <summary>The answer of an accepted import (<c>POST /api/workloads/import</c>): records stored and skipped, the
/// problems found in skipped records, and the format read (docs/workloads.md).</summary>
public sealed record ImportResponse(
    long Imported,
    long Skipped,
    long ErrorCount,
    IReadOnlyList<ImportError> RowErrors,
    ImportFormat Format,
    bool Replaced,
    string Detail);
