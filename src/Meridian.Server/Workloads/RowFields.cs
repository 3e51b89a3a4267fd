namespace Meridian.Server.Workloads;

/// <summary>The raw UTF-8 values of one record's fields, as a file gave them (CSV cells unquoted, JSON strings
/// unescaped). One instance is reused for every record of an import, so parsing allocates nothing per record.</summary>
internal sealed class RowFields
{
    private readonly int[] _start = new int[UsageFields.Count];
    private readonly int[] _length = new int[UsageFields.Count];
    private byte[] _buffer = new byte[1024];
    private int _used;

    public RowFields() => Clear();

    public void Clear()
    {
        _used = 0;
        Array.Fill(_length, -1);
    }

    /// <summary>Whether the field was given with a value; empty or blank values count as absent.</summary>
    public bool Has(UsageField field) => _length[(int)field] > 0 && !Get(field).IsEmpty;

    /// <summary>The value without surrounding spaces.</summary>
    public ReadOnlySpan<byte> Get(UsageField field) =>
        _length[(int)field] < 0 ? default : _buffer.AsSpan(_start[(int)field], _length[(int)field]).Trim(" \t"u8);

    public void Set(UsageField field, ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        Commit(field, value.Length);
    }

    public void Remove(UsageField field) => _length[(int)field] = -1;

    /// <summary>Room for a value of at most <paramref name="maxLength"/> bytes; <see cref="Commit"/> says how much was used.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_used + maxLength > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + maxLength));
        }

        return _buffer.AsSpan(_used, maxLength);
    }

    public void Commit(UsageField field, int length)
    {
        _start[(int)field] = _used;
        _length[(int)field] = length;
        _used += length;
    }
}
