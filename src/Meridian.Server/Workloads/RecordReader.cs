using System.Text;

namespace Meridian.Server.Workloads;

/// <summary>Turns each line-framed record (<see cref="RecordFramer"/>) into a row: Meridian's CSV and JSON Lines
/// (docs/workloads.md#1-record-format), or the rows of an export that comes as CSV (<see cref="Export"/>).</summary>
internal sealed class RecordReader(bool csv, RowIntake rows)
{
    private UsageField?[] _columns = [];
    private List<string> _names = [];

    public bool Csv => csv;

    /// <summary>The export whose CSV this is; null for Meridian's own fields.</summary>
    public IUsageExport? Export { get; init; }

    public bool SawHeader { get; private set; }

    /// <summary>A problem with the header that leaves the rest of the file unreadable.</summary>
    public string? Fatal { get; private set; }

    public bool Read(ReadOnlySpan<byte> record, long line)
    {
        if (csv && !SawHeader)
        {
            SawHeader = true;
            return Export is null ? ReadHeader(record, line) : ReadExportHeader(record, line);
        }

        var row = rows.Start();
        var problem = !csv ? JsonLinesRecord.Read(record, row) : Export is null ? SplitCsv(record, row) : ReadExportRow(record, line);
        if (problem is { } p)
        {
            rows.Reject(line, p.Field, p.Reason);
        }
        else if (Export is null)
        {
            rows.Accept(line);
        }

        return true;
    }

    private (UsageField? Field, string Reason)? SplitCsv(ReadOnlySpan<byte> record, RowFields row)
    {
        var sink = new CsvColumnSink(_columns, row);
        var count = CsvRecord.Split(record, ref sink, out var error);
        return count is null ? (null, error!)
            : count != _columns.Length ? (null, $"has {count} fields where the header has {_columns.Length}")
            : null;
    }

    /// <summary>An export's row, mapped by the export (which accepts or refuses it); null once it has.</summary>
    private (UsageField? Field, string Reason)? ReadExportRow(ReadOnlySpan<byte> record, long line)
    {
        var cells = CsvRecord.Header(record, out var error);
        if (cells is null)
        {
            return (null, error!);
        }

        if (cells.Count != _names.Count)
        {
            return (null, $"has {cells.Count} fields where the header has {_names.Count}");
        }

        Export!.Read(ExportItem.Of(_names, cells), line, rows);
        return null;
    }

    private bool ReadExportHeader(ReadOnlySpan<byte> record, long line)
    {
        _names = CsvRecord.Header(record, out var error) ?? [];
        if (error is not null)
        {
            return Fail(line, $"the header row is malformed: {error}");
        }

        var missing = Export!.RequiredColumns.Where(c => !_names.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var column in missing)
        {
            rows.Errors.Add(new ImportError(line, column, "is a required column and the header lacks it"));
        }

        if (missing.Count > 0)
        {
            Fatal = $"The header lacks required columns: {string.Join(", ", missing)} (it has: {string.Join(", ", _names)}).";
        }

        return missing.Count == 0;
    }

    private bool ReadHeader(ReadOnlySpan<byte> record, long line)
    {
        var cells = CsvRecord.Header(record, out var error);
        if (cells is null)
        {
            return Fail(line, $"the header row is malformed: {error}");
        }

        _columns = cells.Select(c => UsageFields.Find(Encoding.UTF8.GetBytes(c))).ToArray();
        var duplicate = _columns.OfType<UsageField>().GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Fail(line, $"is named more than once in the header", duplicate.Key);
        }

        var missing = UsageFields.Required.Where(f => !_columns.Contains(f)).ToList();
        foreach (var field in missing)
        {
            rows.Errors.Add(line, field, "is a required column and the header lacks it");
        }

        if (missing.Count > 0)
        {
            Fatal = $"The header lacks required columns: {string.Join(", ", missing.Select(UsageFields.Name))} " +
                $"(it has: {string.Join(", ", cells)}).";
        }

        return missing.Count == 0;
    }

    private bool Fail(long line, string reason, UsageField? field = null)
    {
        rows.Errors.Add(line, field, reason);
        Fatal = $"Line {line}: {(field is { } f ? UsageFields.Name(f) + " " : "")}{reason}.";
        return false;
    }
}
