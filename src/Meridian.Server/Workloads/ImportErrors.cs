namespace Meridian.Server.Workloads;

/// <summary>The problems found in a file: every one counted, the first <c>limit</c> kept to report.</summary>
internal sealed class ImportErrors(int limit)
{
    private readonly List<ImportError> _listed = [];

    public IReadOnlyList<ImportError> Listed => _listed;

    public long Count { get; private set; }

    public void Add(long line, UsageField? field, string reason) =>
        Add(new ImportError(line, field is { } f ? UsageFields.Name(f) : null, reason));

    public void Add(ImportError error)
    {
        Count++;
        if (_listed.Count < limit)
        {
            _listed.Add(error);
        }
    }
}
