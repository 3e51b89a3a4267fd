using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Meridian.Server.Workloads;

/// <summary>Validated records of an import, parked in a temporary file until the whole file has been read: memory
/// stays bounded whatever the upload's size, a file with bad rows is refused before the database is touched, and
/// the database write (SQLite's single write turn) lasts only as long as the insert, not as long as the upload.
/// Small imports never leave memory.</summary>
internal sealed class ImportSpool : IDisposable
{
    private const int FlushBytes = 256 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new(FlushBytes * 2);
    private FileStream? _file;

    public long Rows { get; private set; }

    public void Write(in ValidRow row)
    {
        var hash = row.PromptHash;
        var span = _pending.GetSpan(RowBytes + hash.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, row.TimestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], row.Model);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], row.Provider);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], row.Feature);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], row.InputTokens);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], row.OutputTokens);
        BinaryPrimitives.WriteDoubleLittleEndian(span[36..], row.LatencyMs);
        BinaryPrimitives.WriteDoubleLittleEndian(span[44..], row.CostUsd);
        BinaryPrimitives.WriteInt64LittleEndian(span[52..], row.CachedInputTokens);
        BinaryPrimitives.WriteInt64LittleEndian(span[60..], row.Requests);
        span[68] = row.IsError ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(span[69..], hash.IsEmpty ? NoHash : (ushort)hash.Length);
        hash.CopyTo(span[RowBytes..]);
        _pending.Advance(RowBytes + hash.Length);
        Rows++;
    }

    /// <summary>Moves buffered rows to the file once there are enough of them to make a write worthwhile.</summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_pending.WrittenCount < FlushBytes)
        {
            return;
        }

        _file ??= new FileStream(Path.Combine(Path.GetTempPath(), $"meridian-import-{Guid.NewGuid():N}.spool"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await _file.WriteAsync(_pending.WrittenMemory, ct);
        _pending.ResetWrittenCount();
    }

    /// <summary>The parked records in the order they were written, labels resolved through <paramref name="labels"/>.</summary>
    public IEnumerable<UsageRecord> Read(LabelTable labels)
    {
        Stream source;
        if (_file is null)
        {
            source = new MemoryStream(_pending.WrittenMemory.ToArray(), writable: false);
        }
        else
        {
            _file.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
            _file.Position = 0;
            source = new BufferedStream(_file, 1 << 20);
        }

        return ReadRows(source, labels, Rows);
    }

    private static IEnumerable<UsageRecord> ReadRows(Stream source, LabelTable labels, long rows)
    {
        var row = new byte[RowBytes];
        var hash = new byte[ushort.MaxValue];
        for (var i = 0L; i < rows; i++)
        {
            source.ReadExactly(row);
            var hashLength = BinaryPrimitives.ReadUInt16LittleEndian(row.AsSpan(69));
            string? promptHash = null;
            if (hashLength != NoHash)
            {
                source.ReadExactly(hash, 0, hashLength);
                promptHash = Encoding.UTF8.GetString(hash, 0, hashLength);
            }

            yield return new UsageRecord(
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(row)),
                labels[BinaryPrimitives.ReadInt32LittleEndian(row.AsSpan(8))],
                labels[BinaryPrimitives.ReadInt32LittleEndian(row.AsSpan(12))],
                BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(20)),
                BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(28)),
                Latency(BinaryPrimitives.ReadDoubleLittleEndian(row.AsSpan(36))),
                (decimal)BinaryPrimitives.ReadDoubleLittleEndian(row.AsSpan(44)),
                row[68] == 1,
                labels[BinaryPrimitives.ReadInt32LittleEndian(row.AsSpan(16))],
                promptHash,
                BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(60)),
                BinaryPrimitives.ReadInt64LittleEndian(row.AsSpan(52)));
        }
    }

    /// <summary>An unknown latency is parked as NaN (<see cref="ValidRow.LatencyMs"/>).</summary>
    private static double? Latency(double parked) => double.IsNaN(parked) ? null : parked;

    public void Dispose() => _file?.Dispose();

    private const int RowBytes = 71;
    private const ushort NoHash = ushort.MaxValue;
}
