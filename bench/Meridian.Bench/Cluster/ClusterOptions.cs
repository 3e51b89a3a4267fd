namespace Meridian.Bench.Cluster;

/// <summary>What a cluster run asks for (bench/README.md, "cluster").</summary>
internal sealed record ClusterOptions(int Rate, int Seconds, int Runs, int Users, int Nodes, int Warmup, bool Quick, string[] Args)
{
    public static ClusterOptions Parse(bool quick, string[] args) => new(
        Rate: BenchArgs.Int(args, "--rate", 1000),
        Seconds: BenchArgs.Int(args, "--seconds", quick ? 3 : 30),
        Runs: BenchArgs.Int(args, "--runs", 4),
        Users: BenchArgs.Int(args, "--users", quick ? 30 : 200),
        Nodes: BenchArgs.Int(args, "--nodes", 3),
        Warmup: BenchArgs.Int(args, "--warmup", quick ? 2 : 10),
        quick,
        args);
}
