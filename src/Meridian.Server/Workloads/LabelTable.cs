using System.Text;

namespace Meridian.Server.Workloads;

/// <summary>One string per distinct model, provider or feature name: records read from a file or the database share
/// them instead of allocating a copy per record. Bounded, so a file of endless distinct names cannot exhaust memory.</summary>
internal sealed class LabelTable
{
    public const int MaxLabels = 50_000;
    public const int MaxLabelBytes = 256;

    private readonly List<string> _values = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public LabelTable() => _byChars = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _values.Count;

    public string this[int id] => _values[id];

    /// <summary>The id of a UTF-8 name (at most <see cref="MaxLabelBytes"/> bytes), or -1 when the table is full.</summary>
    public int Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLabelBytes)
        {
            return -1;
        }

        Span<char> chars = stackalloc char[MaxLabelBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Intern(chars[..length]);
    }

    public int Intern(ReadOnlySpan<char> name)
    {
        if (_byChars.TryGetValue(name, out var id))
        {
            return id;
        }

        if (_values.Count >= MaxLabels)
        {
            return -1;
        }

        var value = name.ToString();
        _ids.Add(value, _values.Count);
        _values.Add(value);
        return _values.Count - 1;
    }

    /// <summary>The shared string for a UTF-8 name; a new one once the table is full.</summary>
    public string Text(ReadOnlySpan<byte> utf8) => Intern(utf8) is >= 0 and var id ? _values[id] : Encoding.UTF8.GetString(utf8);
}
