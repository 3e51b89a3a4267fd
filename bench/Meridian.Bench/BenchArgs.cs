using System.Globalization;

namespace Meridian.Bench;

/// <summary>The benchmarks' options: <c>--name value</c> pairs after the benchmark's name.</summary>
internal static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The command line that reproduces a run, for its report (<c>--quick</c> left out: it records nothing).</summary>
    public static string Command(string benchmark, string[] args) =>
        $"dotnet run -c Release --project bench/Meridian.Bench -- {benchmark}{(args.Length > 0 ? " " + string.Join(' ', args.Where(a => a != "--quick")) : "")}";
}
