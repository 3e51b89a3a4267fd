using System.Buffers;
using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>Hands each JSON item the framer cut out of an export to the export's mapper. An item is at most
/// <see cref="RecordFramer.MaxRecordBytes"/>, so reading it whole into a document is bounded.</summary>
internal sealed class ExportReader(IUsageExport export, RowIntake rows)
{
    public bool Read(ReadOnlySequence<byte> item, long line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(item);
        }
        catch (JsonException ex)
        {
            Refuse(line, "is not valid JSON: " + ex.Message);
            return true;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                Refuse(line, "is not a JSON object");
                return true;
            }

            try
            {
                export.Read(ExportItem.Of(document.RootElement), line, rows);
            }
            catch (InvalidOperationException)
            {
                // A string the reader cannot decode: bytes that are not UTF-8, or half of a surrogate pair alone.
                rows.Reject(line, (string?)null, "holds text that is not valid UTF-8, or a \\u escape that names half of a surrogate pair alone");
            }
        }

        return true;
    }

    private void Refuse(long line, string reason)
    {
        rows.Start();
        rows.Reject(line, (string?)null, reason);
    }
}
