namespace Meridian.Server.Workloads;

/// <summary>The answer of an accepted import (<c>POST /api/workloads/import</c>): records stored and skipped, the
/// problems found in skipped records, the format read, and the items of an export that are not model calls
/// (docs/workloads.md#22-import).</summary>
public sealed record ImportResponse(
    long Imported,
    long Skipped,
    long ErrorCount,
    IReadOnlyList<ImportError> RowErrors,
    ImportFormat Format,
    bool Replaced,
    string Detail,
    long Ignored);
