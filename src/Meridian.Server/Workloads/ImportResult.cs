using System.IO.Pipelines;
using Meridian.Server.Pricing;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Workloads;

/// <summary>The answer to an import: how many records were stored and skipped, and the problems found (the first
/// <see cref="WorkloadOptions.MaxReportedErrors"/> listed, all counted). <see cref="Rejected"/>: nothing was stored. <see cref="Ignored"/>: items of
/// an export that are not model calls (Langfuse spans and events), passed over without being errors.</summary>
public sealed record ImportResult(
    ImportFormat Format,
    bool Rejected,
    long Imported,
    long Skipped,
    long ErrorCount,
    IReadOnlyList<ImportError> Errors,
    string Detail,
    long Ignored = 0);
