using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Meridian.Bench;

/// <summary>Appends a benchmark's report to bench/results.md, headed by the machine and the date.</summary>
internal static class Results
{
    public static void Append(string report)
    {
        var file = Path.Combine(FindBenchFolder(), "results.md");
        var header = $"\n## {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Machine()}\n\n";
        File.AppendAllText(file, header + report.TrimEnd() + "\n");
        Console.WriteLine($"(appended to {file})");
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F0} GiB, " +
               $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>The repository's root folder (the one holding bench/).</summary>
    public static string RepoRoot() => Path.GetDirectoryName(FindBenchFolder())!;

    private static string FindBenchFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "bench")))
        {
            dir = dir.Parent;
        }

        return dir is null ? Directory.GetCurrentDirectory() : Path.Combine(dir.FullName, "bench");
    }
}

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
internal sealed class Samples
{
    private readonly List<double> _ms = [];
    private double[]? _sorted;

    public int Count => _ms.Count;

    public void Add(TimeSpan elapsed)
    {
        _ms.Add(elapsed.TotalMilliseconds);
        _sorted = null;
    }

    public void Add(long startTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp));

    public double Percentile(double p)
    {
        if (_sorted is null)
        {
            _sorted = [.. _ms];
            Array.Sort(_sorted);
        }

        return _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];
    }

    public string Summary() => $"p50 {Percentile(50):F3} ms, p95 {Percentile(95):F3} ms, p99 {Percentile(99):F3} ms (n={Count})";
}
