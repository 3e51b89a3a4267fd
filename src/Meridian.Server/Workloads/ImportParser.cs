using System.IO.Pipelines;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>Reads a streamed body record by record, in any of the import formats, validating each row and parking the
/// valid ones (<see cref="RowIntake"/>): CSV and JSON Lines line by line (<see cref="RecordFramer"/>), the JSON
/// exports item by item (<see cref="JsonItemFramer"/>), never holding more than one record.</summary>
internal static class ImportParser
{
    public static async Task<ParsedImport> ParseAsync(
        PipeReader body, ImportFormat format, PriceCatalog catalog, bool skipInvalid, int maxReportedErrors, CancellationToken ct)
    {
        var labels = new LabelTable();
        var parsed = new ParsedImport(new ImportSpool(), labels, new ImportErrors(maxReportedErrors));
        try
        {
            var export = UsageExports.For(format);
            var validator = new UsageRowValidator(catalog, labels) { LatencyMayBeUnknown = export is not null };
            parsed.Errors.FieldNames = export?.FieldNames;
            if (export is null)
            {
                await ReadRecordsAsync(body, new RecordReader(format == ImportFormat.Csv, new RowIntake(validator, parsed, skipInvalid)), parsed, ct);
                return parsed;
            }

            var sniff = await ImportSniffer.SniffAsync(body, ct);
            if (!sniff.IsJson && export is LiteLlmSpendLog)
            {
                // LiteLLM's spend logs also come as a CSV export of the table (docs/workloads.md#51-litellm-spend-logs).
                await ReadRecordsAsync(body, new RecordReader(csv: true, new RowIntake(validator, parsed, skipInvalid)) { Export = export }, parsed, ct);
                return parsed;
            }

            var framer = new JsonItemFramer(body, export.Pages, rootObjectIsItem: !export.Pages && !sniff.RootHasData);
            // A whole export may be one line: each problem carries the row's position too.
            var reader = new ExportReader(export, new RowIntake(validator, parsed, skipInvalid) { NumberItems = true });
            var outcome = await framer.ReadAsync(reader.Read, parsed.Spool.FlushAsync, ct);
            JsonItemFramer.Report(outcome, framer, parsed);
            return parsed;
        }
        catch
        {
            parsed.Dispose();
            throw;
        }
    }

    private static async Task ReadRecordsAsync(PipeReader body, RecordReader reader, ParsedImport parsed, CancellationToken ct)
    {
        var framer = new RecordFramer(body, csvQuotes: reader.Csv);
        var outcome = await framer.ReadAsync(reader.Read, parsed.Spool.FlushAsync, ct);
        if (outcome == RecordFramer.Outcome.RecordTooLong)
        {
            parsed.Errors.Add(framer.Line, null, $"starts a record longer than {RecordFramer.MaxRecordBytes} bytes");
            parsed.Fatal = $"Line {framer.Line} starts a record longer than {RecordFramer.MaxRecordBytes} bytes " +
                "(an unclosed quote, or not a CSV/JSON Lines file).";
        }
        else if (reader.Csv && !reader.SawHeader)
        {
            parsed.Errors.Add(1, null, "the file is empty; a CSV file starts with a header row");
            parsed.Fatal = "The file is empty: a CSV import needs a header row naming the fields.";
        }
        else if (reader.Fatal is { } fatal)
        {
            parsed.Fatal = fatal;
        }
    }
}
