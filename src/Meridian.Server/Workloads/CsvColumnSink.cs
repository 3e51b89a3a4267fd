namespace Meridian.Server.Workloads;

/// <summary>Puts the cells of known columns into the row; cells of other columns are dropped.</summary>
internal readonly struct CsvColumnSink(UsageField?[] columns, RowFields row) : CsvRecord.ISink
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
