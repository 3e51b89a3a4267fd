namespace Meridian.Server.Workloads;

/// <summary>An export format of another tool, read item by item and mapped onto the fields of usage records, which
/// are then checked, priced and stored like any imported record (docs/workloads.md#5-exports-of-other-tools).</summary>
internal interface IUsageExport
{
    /// <summary>Whether the items are buckets inside pages (<c>{"data":[bucket…]}</c>, several pages as a JSON array
    /// or one per line); otherwise a top-level array holds the items, or a top-level object's <c>data</c> does, or
    /// each line is one item.</summary>
    bool Pages { get; }

    /// <summary>The export's name for each field it fills, used in problems.</summary>
    IReadOnlyDictionary<UsageField, string> FieldNames { get; }

    /// <summary>Columns a CSV export must have (only exports that come as CSV name any).</summary>
    IReadOnlyList<string> RequiredColumns => [];

    /// <summary>Maps one item onto rows: each starts with <see cref="RowIntake.Start"/> and ends accepted, refused or
    /// ignored.</summary>
    void Read(ExportItem item, long line, RowIntake rows);
}
