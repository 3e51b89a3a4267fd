using System.Globalization;

namespace Meridian.Bench.WsFanout;

/// <summary>What a ws-fanout run asks for (bench/README.md, "ws-fanout").</summary>
internal sealed record FanoutOptions(int[] Sizes, int Seconds, int Rounds, int Runs, bool Quick, string[] Args)
{
    public TimeSpan Measure => TimeSpan.FromSeconds(Seconds);

    public static FanoutOptions Parse(bool quick, string[] args)
    {
        int[] sizes = BenchArgs.Value(args, "--sockets") is { } list
            ? [.. list.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]
            : quick ? [20, 100] : [100, 1000];
        return new FanoutOptions(
            sizes,
            Seconds: BenchArgs.Int(args, "--seconds", quick ? 2 : 3),
            Rounds: BenchArgs.Int(args, "--rounds", quick ? 2 : 9),
            Runs: BenchArgs.Int(args, "--runs", 4),
            quick,
            args);
    }
}
