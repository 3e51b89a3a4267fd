namespace Meridian.Server.Workloads;

/// <summary>The problems found in a file: every one counted, the first <c>limit</c> kept to report.</summary>
internal sealed class ImportErrors(int limit)
{
    private readonly List<ImportError> _listed = [];

    public IReadOnlyList<ImportError> Listed => _listed;

    public long Count { get; private set; }

    /// <summary>The file's own name for each field, where it differs from Meridian's (an export's <c>spend</c> for
    /// <c>cost_usd</c>), so that a problem names what the user can find in the file.</summary>
    public IReadOnlyDictionary<UsageField, string>? FieldNames { get; set; }

    /// <summary>The position of the row being read, in formats that number their rows (<see cref="ImportError.Item"/>).</summary>
    public long? Item { get; set; }

    public void Add(long line, UsageField? field, string reason) =>
        Add(new ImportError(line, field is { } f ? FieldNames?.GetValueOrDefault(f) ?? UsageFields.Name(f) : null, reason, Item));

    public void Add(ImportError error)
    {
        Count++;
        if (_listed.Count < limit)
        {
            _listed.Add(error);
        }
    }
}
