namespace Meridian.Server.Workloads;

/// <summary>Where every format's rows end up, once mapped onto the fields of a usage record: each is validated by
/// the same rules, and parked in the spool until the whole file has been read. Once a row is bad and bad rows are
/// not to be skipped, nothing will be stored, so parking stops; reading goes on to count and report every problem.</summary>
internal sealed class RowIntake(UsageRowValidator validator, ParsedImport parsed, bool skipInvalid)
{
    /// <summary>The row being read; reused for every row of the file.</summary>
    public RowFields Row { get; } = new();

    public ImportErrors Errors => parsed.Errors;

    /// <summary>Whether problems carry the row's position in the file (<see cref="ImportError.Item"/>).</summary>
    public bool NumberItems { get; init; }

    private long _item;

    /// <summary>Starts the file's next row (or ignored item): an empty <see cref="Row"/>.</summary>
    public RowFields Start()
    {
        _item++;
        parsed.Errors.Item = NumberItems ? _item : null;
        Row.Clear();
        return Row;
    }

    /// <summary>Validates <see cref="Row"/>, and parks it when it is valid.</summary>
    public void Accept(long line)
    {
        if (!validator.TryValidate(Row, line, parsed.Errors, out var valid))
        {
            parsed.Rejected++;
        }
        else if (parsed.Rejected == 0 || skipInvalid)
        {
            parsed.Spool.Write(valid);
        }
    }

    /// <summary>A row the format's reader could not map; <paramref name="field"/> as the file names it.</summary>
    public void Reject(long line, string? field, string reason)
    {
        parsed.Errors.Add(new ImportError(line, field, reason, parsed.Errors.Item));
        parsed.Rejected++;
    }

    public void Reject(long line, UsageField? field, string reason)
    {
        parsed.Errors.Add(line, field, reason);
        parsed.Rejected++;
    }

    /// <summary>An item of the file that is not a model call (a trace's span): counted, not an error.</summary>
    public void Ignore() => parsed.Ignored++;
}
