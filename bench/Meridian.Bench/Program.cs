using Meridian.Bench;

// dotnet run -c Release --project bench/Meridian.Bench -- <benchmark> [--quick]
// Each benchmark prints its numbers and appends them, with the machine and date, to bench/results.md.
var quick = args.Contains("--quick");
var name = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "runs";
var report = name switch
{
    "runs" => await RunLatencyBenchmark.RunAsync(quick),
    "analysis" => AnalysisBenchmark.Run(quick),
    "workloads-import" => await WorkloadImportBenchmark.RunAsync(quick),
    _ => null,
};

if (report is null)
{
    Console.Error.WriteLine($"unknown benchmark '{name}'; available: runs, analysis, workloads-import");
    return 2;
}

Console.WriteLine(report);
if (!quick)
{
    Results.Append(report);
}

return 0;
