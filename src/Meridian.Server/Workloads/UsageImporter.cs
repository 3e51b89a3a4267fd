using System.Diagnostics;
using System.IO.Pipelines;
using Meridian.Server.Pricing;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Workloads;

/// <summary>Imports a user's usage records from a streamed body in any import format (docs/workloads.md#22-import). The whole body is read and checked
/// first (<see cref="ImportParser"/>); only an accepted file reaches the database, in one transaction. A file with bad
/// records stores nothing unless <c>skipInvalid</c>, in which case its valid records are stored and the others reported.</summary>
public sealed partial class UsageImporter(UsageStore store, CurrentPrices prices, IOptions<WorkloadOptions> options, ILogger<UsageImporter> logger)
{
    public async Task<ImportResult> ImportAsync(
        string userId, PipeReader body, ImportFormat format, bool skipInvalid, bool replace, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var parsed = await ImportParser.ParseAsync(body, format, prices.Catalog, skipInvalid, options.Value.MaxReportedErrors, ct);
        var errors = parsed.Errors;
        if (parsed.Fatal is not null || (parsed.Rejected > 0 && !skipInvalid))
        {
            var detail = parsed.Fatal is { } fatal
                ? fatal + " Nothing was imported."
                : $"{parsed.Rejected} of {parsed.Rejected + parsed.Accepted} records are invalid ({errors.Count} problems); nothing was imported. " +
                  "Fix them, or send ?skip_invalid=true to import the valid records only.";
            return new ImportResult(format, true, 0, parsed.Rejected, errors.Count, errors.Listed, detail, parsed.Ignored);
        }

        var read = Stopwatch.GetElapsedTime(started);
        var imported = await store.InsertAsync(userId, parsed.Records(), replace, ct);
        LogImported(userId, imported, parsed.Rejected, format, read.TotalMilliseconds, (Stopwatch.GetElapsedTime(started) - read).TotalMilliseconds);
        var ignored = parsed.Ignored == 0 ? "" : $" Passed over {parsed.Ignored} items that are not model calls.";
        return new ImportResult(format, false, imported, parsed.Rejected, errors.Count, errors.Listed,
            (parsed.Rejected == 0 ? $"Imported {imported} records." : $"Imported {imported} records; skipped {parsed.Rejected} invalid ones.") + ignored,
            parsed.Ignored);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information,
        Message = "Imported {Imported} usage records for {UserId} ({Skipped} skipped, {Format}): read in {ReadMs:F0} ms, stored in {StoreMs:F0} ms")]
    private partial void LogImported(string userId, long imported, long skipped, ImportFormat format, double readMs, double storeMs);
}
