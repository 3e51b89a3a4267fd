using Meridian.Server.Ingest.Otlp;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Server.Ingest;

/// <summary>The GenAI spans of one export, checked as records by the importer's rules and parked for storing;
/// spans with a problem are rejected with it (a span's "line" is its position in the export, from 1); other spans
/// are ignored.</summary>
internal sealed class SpanImport : IDisposable
{
    private const int ReportedProblems = 3;

    private readonly ParsedImport _parsed;

    private SpanImport(ParsedImport parsed) => _parsed = parsed;

    public long Accepted => _parsed.Accepted;

    public long Rejected => _parsed.Rejected;

    public long Ignored { get; private set; }

    public IEnumerable<UsageRecord> Records() => _parsed.Records();

    public static SpanImport Read(ExportTraceServiceRequest request, PriceCatalog catalog, string featureAttribute)
    {
        var labels = new LabelTable();
        var import = new SpanImport(new ParsedImport(new ImportSpool(), labels, new ImportErrors(ReportedProblems)));
        // Every valid span is kept whatever others are wrong: a partial success (docs/ingest.md).
        var intake = new RowIntake(new UsageRowValidator(catalog, labels), import._parsed, skipInvalid: true);
        var reader = new GenAiSpan(featureAttribute);
        var position = 0L;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resourceFeature = resourceSpans.Resource is { } resource ? reader.ResourceFeature(resource.Attributes) : null;
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
            {
                position++;
                if (!reader.TryRead(span, resourceFeature, intake.Row))
                {
                    import.Ignored++;
                }
                else
                {
                    intake.Accept(position);
                }
            }
        }

        return import;
    }

    /// <summary>The partial-success message: how many spans were rejected and why, for the first few.</summary>
    public string Problems() =>
        $"{Rejected} of {Rejected + Accepted} GenAI spans were rejected: " +
        string.Join("; ", _parsed.Errors.Listed.Select(e => $"span {e.Line}: {(e.Field is null ? "" : e.Field + " ")}{e.Reason}")) +
        (_parsed.Errors.Count > _parsed.Errors.Listed.Count ? "; …" : "");

    public void Dispose() => _parsed.Dispose();
}
