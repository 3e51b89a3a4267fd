using System.Globalization;
using System.Runtime.InteropServices;

namespace Meridian.Bench;

/// <summary>What decides how many sockets a process may hold, and what one holds: open-file limits, open files
/// and resident memory, from getrlimit/setrlimit and /proc.</summary>
internal static class ProcessLimits
{
    private const int RlimitNofile = 7;

    /// <summary>The open-file limit (soft, hard) of this process.</summary>
    public static (ulong Soft, ulong Hard) FileLimit()
    {
        var limit = default(RLimit);
        return getrlimit(RlimitNofile, ref limit) == 0 ? (limit.Current, limit.Max) : (0, 0);
    }

    /// <summary>Raises this process's open-file limit (children inherit it) to at least <paramref name="wanted"/>.
    /// Raising the soft limit up to the hard one always works; raising the hard limit needs CAP_SYS_RESOURCE.
    /// Returns the soft limit in force afterwards.</summary>
    public static ulong RaiseFileLimit(ulong wanted)
    {
        var (soft, hard) = FileLimit();
        if (soft >= wanted)
        {
            return soft;
        }

        var raised = new RLimit { Current = wanted, Max = Math.Max(wanted, hard) };
        if (setrlimit(RlimitNofile, ref raised) == 0)
        {
            return wanted;
        }

        var capped = new RLimit { Current = hard, Max = hard };
        return setrlimit(RlimitNofile, ref capped) == 0 ? hard : soft;
    }

    /// <summary>The resident set size of a process (VmRSS of /proc/&lt;pid&gt;/status), in bytes.</summary>
    public static long Rss(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    public static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>The open-file limit of another process, from /proc/&lt;pid&gt;/limits.</summary>
    public static long FileLimitOf(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, ref RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);
}
