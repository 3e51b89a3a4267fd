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
