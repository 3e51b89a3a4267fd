using System.Globalization;

namespace Meridian.Bench.WsCapacity;

/// <summary>What a ws-capacity run asks for (bench/README.md, "ws-capacity").</summary>
internal sealed record CapacityOptions(
    int Sockets, int Nodes, int Rate, int Addresses, int Users, int Hold, int Warmup,
    IReadOnlyDictionary<string, string> ServerEnvironment, string[] Args)
{
    public const int HeartbeatSeconds = 25;

    public static CapacityOptions Parse(bool quick, string[] args)
    {
        var sockets = BenchArgs.Int(args, "--sockets", quick ? 1000 : 20_000);
        var nodes = BenchArgs.Int(args, "--nodes", 1);

        // --server-env NAME=VALUE (repeatable) sets more of the servers' environment, e.g. to try GC settings.
        var environment = new Dictionary<string, string>
        {
            ["MERIDIAN_Gateway__HeartbeatIntervalSeconds"] = HeartbeatSeconds.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--server-env" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                environment[key] = value;
            }
        }

        return new CapacityOptions(
            sockets,
            nodes,
            Rate: BenchArgs.Int(args, "--rate", 500),
            Addresses: BenchArgs.Int(args, "--addresses", 8),
            Users: BenchArgs.Int(args, "--users", Math.Max(1, sockets / nodes / 10)),
            Hold: BenchArgs.Int(args, "--hold", quick ? 5 : HeartbeatSeconds + 15),
            Warmup: BenchArgs.Int(args, "--warmup", quick ? 100 : 500),
            environment,
            args);
    }
}
