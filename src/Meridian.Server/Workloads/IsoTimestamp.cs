namespace Meridian.Server.Workloads;

/// <summary>Reads ISO-8601 timestamps straight from UTF-8 bytes: <c>2026-11-21</c>, then optionally <c>T</c> (or a
/// space) <c>10:00</c>, <c>:00</c>, a fraction of any length, and <c>Z</c> or an offset (<c>+02:00</c>, <c>+0200</c>,
/// <c>+02</c>); no offset means UTC. Several times faster than the framework's pattern parsing, which dominated the
/// cost of an import.</summary>
internal static class IsoTimestamp
{
    /// <summary>The first and last milliseconds a timestamp can name in UTC. An offset can carry a well-formed
    /// timestamp beyond them (<c>0001-01-01T00:00:00+14:00</c>); <see cref="TryParse"/> still reads it, and
    /// the caller refuses it.</summary>
    public const long MinUnixMs = -62_135_596_800_000;
    public const long MaxUnixMs = 253_402_300_799_999;

    public static bool TryParse(ReadOnlySpan<byte> text, out long unixMs)
    {
        unixMs = 0;
        if (text.Length < 10 || !Digits(text, 0, 4, out var year) || text[4] != '-' || !Digits(text, 5, 2, out var month)
            || text[7] != '-' || !Digits(text, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fraction = 0;
        var offsetMinutes = 0;
        var i = 10;
        if (i < text.Length)
        {
            if (text[i] is not ((byte)'T' or (byte)'t' or (byte)' ') || !Digits(text, i + 1, 2, out hour) || i + 3 >= text.Length
                || text[i + 3] != ':' || !Digits(text, i + 4, 2, out minute) || hour > 23 || minute > 59)
            {
                return false;
            }

            i += 6;
            if (i < text.Length && text[i] == ':')
            {
                if (!Digits(text, i + 1, 2, out second) || second > 59)
                {
                    return false;
                }

                i += 3;
                if (i < text.Length && text[i] is (byte)'.' or (byte)',')
                {
                    var scale = TimeSpan.TicksPerSecond;
                    var start = ++i;
                    for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
                    {
                        scale /= 10;
                        fraction += (text[i] - '0') * scale;
                    }

                    if (i == start)
                    {
                        return false;
                    }
                }
            }

            if (i < text.Length && !Offset(text[i..], out offsetMinutes))
            {
                return false;
            }
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction
            - offsetMinutes * TimeSpan.TicksPerMinute;
        unixMs = (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        return true;
    }

    private static bool Offset(ReadOnlySpan<byte> text, out int minutes)
    {
        minutes = 0;
        if (text is [(byte)'Z' or (byte)'z'])
        {
            return true;
        }

        if (text.Length < 3 || text[0] is not ((byte)'+' or (byte)'-') || !Digits(text, 1, 2, out var hours) || hours > 14)
        {
            return false;
        }

        var rest = text[3..];
        var mins = 0;
        var ok = rest.Length == 0
            || (rest.Length == 2 && Digits(rest, 0, 2, out mins))
            || (rest.Length == 3 && rest[0] == ':' && Digits(rest, 1, 2, out mins));
        minutes = (text[0] == '-' ? -1 : 1) * (hours * 60 + mins);
        return ok && mins < 60;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        foreach (var b in text.Slice(start, count))
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (b - '0');
        }

        return true;
    }
}
