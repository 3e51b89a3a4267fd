using System.Text;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>A file read and checked, not yet stored: the accepted records wait in <see cref="Spool"/>.
/// <see cref="Fatal"/> names a problem that made the rest of the file unreadable.</summary>
internal sealed class ParsedImport(ImportSpool spool, LabelTable labels, ImportErrors errors) : IDisposable
{
    public ImportSpool Spool => spool;

    public ImportErrors Errors => errors;

    public long Rejected { get; set; }

    /// <summary>Items of the file that are not model calls, passed over (docs/workloads.md#22-import).</summary>
    public long Ignored { get; set; }

    public string? Fatal { get; set; }

    public long Accepted => spool.Rows;

    public IEnumerable<UsageRecord> Records() => spool.Read(labels);

    public void Dispose() => spool.Dispose();
}
