using System.IO.Pipelines;
using System.Text;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>Reads a streamed CSV or JSON Lines body record by record, validating each and parking the valid ones.
/// Once a record is bad and bad records are not to be skipped, nothing will be stored, so parking stops; reading
/// goes on to count and report every problem.</summary>
internal static class ImportParser
{
    public static async Task<ParsedImport> ParseAsync(
        PipeReader body, ImportFormat format, PriceCatalog catalog, bool skipInvalid, int maxReportedErrors, CancellationToken ct)
    {
        var labels = new LabelTable();
        var parsed = new ParsedImport(new ImportSpool(), labels, new ImportErrors(maxReportedErrors));
        try
        {
            var reader = new RecordReader(format, new UsageRowValidator(catalog, labels), parsed, skipInvalid);
            var framer = new RecordFramer(body, csvQuotes: format == ImportFormat.Csv);
            var outcome = await framer.ReadAsync(reader.Read, parsed.Spool.FlushAsync, ct);
            if (outcome == RecordFramer.Outcome.RecordTooLong)
            {
                parsed.Errors.Add(framer.Line, null, $"starts a record longer than {RecordFramer.MaxRecordBytes} bytes");
                parsed.Fatal = $"Line {framer.Line} starts a record longer than {RecordFramer.MaxRecordBytes} bytes " +
                    "(an unclosed quote, or not a CSV/JSON Lines file).";
            }
            else if (format == ImportFormat.Csv && !reader.SawHeader)
            {
                parsed.Errors.Add(1, null, "the file is empty; a CSV file starts with a header row");
                parsed.Fatal = "The file is empty: a CSV import needs a header row naming the fields.";
            }

            return parsed;
        }
        catch
        {
            parsed.Dispose();
            throw;
        }
    }

    /// <summary>Turns each framed record into a row in the spool, or into reported problems.</summary>
    private sealed class RecordReader(ImportFormat format, UsageRowValidator validator, ParsedImport parsed, bool skipInvalid)
    {
        private readonly RowFields _row = new();
        private UsageField?[] _columns = [];

        public bool SawHeader { get; private set; }

        public bool Read(ReadOnlySpan<byte> record, long line)
        {
            if (format == ImportFormat.Csv && !SawHeader)
            {
                SawHeader = true;
                return ReadHeader(record, line);
            }

            _row.Clear();
            var problem = format == ImportFormat.Csv ? SplitCsv(record) : JsonLinesRecord.Read(record, _row);
            if (problem is { } p)
            {
                parsed.Errors.Add(line, p.Field, p.Reason);
                parsed.Rejected++;
            }
            else if (!validator.TryValidate(_row, line, parsed.Errors, out var valid))
            {
                parsed.Rejected++;
            }
            else if (parsed.Rejected == 0 || skipInvalid)
            {
                parsed.Spool.Write(valid);
            }

            return true;
        }

        private (UsageField? Field, string Reason)? SplitCsv(ReadOnlySpan<byte> record)
        {
            var sink = new ColumnSink(_columns, _row);
            var count = CsvRecord.Split(record, ref sink, out var error);
            return count is null ? (null, error!)
                : count != _columns.Length ? (null, $"has {count} fields where the header has {_columns.Length}")
                : null;
        }

        private bool ReadHeader(ReadOnlySpan<byte> record, long line)
        {
            var cells = CsvRecord.Header(record, out var error);
            if (cells is null)
            {
                return Fail(line, null, $"the header row is malformed: {error}");
            }

            _columns = cells.Select(c => UsageFields.Find(Encoding.UTF8.GetBytes(c))).ToArray();
            var duplicate = _columns.OfType<UsageField>().GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                return Fail(line, duplicate.Key, "is named more than once in the header");
            }

            var missing = UsageFields.Required.Where(f => !_columns.Contains(f)).ToList();
            foreach (var field in missing)
            {
                parsed.Errors.Add(line, field, "is a required column and the header lacks it");
            }

            if (missing.Count > 0)
            {
                parsed.Fatal = $"The header lacks required columns: {string.Join(", ", missing.Select(UsageFields.Name))} " +
                    $"(it has: {string.Join(", ", cells)}).";
            }

            return missing.Count == 0;
        }

        private bool Fail(long line, UsageField? field, string reason)
        {
            parsed.Errors.Add(line, field, reason);
            parsed.Fatal = $"Line {line}: {(field is { } f ? UsageFields.Name(f) + " " : "")}{reason}.";
            return false;
        }
    }

    /// <summary>Puts the cells of known columns into the row; cells of other columns are dropped.</summary>
    private readonly struct ColumnSink(UsageField?[] columns, RowFields row) : CsvRecord.ISink
    {
        public bool Begin(int index, int maxLength, out Span<byte> destination)
        {
            if (index < columns.Length && columns[index] is not null)
            {
                destination = row.Reserve(maxLength);
                return true;
            }

            destination = default;
            return false;
        }

        public void End(int index, int length) => row.Commit(columns[index]!.Value, length);
    }
}
