using System.Text.Json;
using Meridian.Client;

namespace Meridian.Cli.Import;

/// <summary>What <c>POST /api/workloads/import</c> answered (docs/workloads.md): counts and the per-line problems,
/// read from a 200 answer and from a 422 <c>VALIDATION_FAILED</c> alike.</summary>
internal sealed record ImportAnswer(long Imported, long Skipped, long ErrorCount, IReadOnlyList<(long? Line, string? Field, string? Reason)> RowErrors, string? Detail)
{
    public static ImportAnswer Read(JsonElement body) => new(
        body.Number("imported") ?? 0,
        body.Number("skipped") ?? 0,
        body.Number("error_count") ?? 0,
        body.Field("row_errors") is { ValueKind: JsonValueKind.Array } rows
            ? rows.EnumerateArray().Select(r => (r.Number("line"), r.Text("field"), r.Text("reason"))).ToList()
            : [],
        body.Text("detail"));
}
