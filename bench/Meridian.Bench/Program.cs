using Meridian.Bench;
using Meridian.Bench.Cluster;
using Meridian.Bench.WsCapacity;
using Meridian.Bench.WsFanout;

// dotnet run -c Release --project bench/Meridian.Bench -- <benchmark> [--quick] [options]
// Each benchmark prints its numbers and appends them, with the machine and date, to bench/results.md.
if (args.FirstOrDefault() == "ws-capacity-client")
{
    // A client worker process of ws-capacity (started by it, not by hand).
    return await CapacityClient.RunAsync(args);
}

var quick = args.Contains("--quick");
var name = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "runs";
var options = args.Where(a => a != name).ToArray();
var report = name switch
{
    "runs" => await RunLatencyBenchmark.RunAsync(quick),
    "analysis" => AnalysisBenchmark.Run(quick),
    "workloads-import" => await WorkloadImportBenchmark.RunAsync(quick),
    "ingest" => await OtlpIngestBenchmark.RunAsync(quick),
    "ws-capacity" => await WsCapacityBenchmark.RunAsync(quick, options),
    "ws-fanout" => await WsFanoutBenchmark.RunAsync(quick, options),
    "browser" => await BrowserBenchmark.RunAsync(quick, options),
    "cluster" => await ClusterBenchmark.RunAsync(quick, options),
    _ => null,
};

if (report is null)
{
    Console.Error.WriteLine($"unknown benchmark '{name}'; available: runs, analysis, workloads-import, ingest, ws-capacity, ws-fanout, browser, cluster");
    return 2;
}

Console.WriteLine(report);
if (!quick)
{
    Results.Append(report);
}

return 0;
