using System.Text.Json.Serialization;

namespace Meridian.Server.Workloads;

/// <summary>A problem with one record of an imported file: its line (where the record starts), the field, why. In
/// the JSON exports <see cref="Item"/> is the row's position in the file as well (1 for the first log row,
/// observation or usage result), since a whole export may be one line (docs/workloads.md#22-import).</summary>
public sealed record ImportError(
    long Line,
    string? Field,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Item = null);
