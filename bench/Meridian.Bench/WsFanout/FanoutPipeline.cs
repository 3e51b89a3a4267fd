using System.Diagnostics;
using Meridian.Server.Runs;

namespace Meridian.Bench.WsFanout;

/// <summary>A run that writes one <c>agent_response_delta</c> per index the driver hands out, the producer's
/// timestamp in its text, until the driver stops.</summary>
internal sealed class FanoutPipeline : IRunPipeline
{
    public volatile FanoutDriver? Driver;

    public IReadOnlyList<string> Plan(string agent) => ["reporting"];

    public async Task<PipelineResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var driver = Driver!;
        while (await driver.NextAsync() is { } index)
        {
            await context.Emitter.DeltaAsync("reporting", FanoutMarker.Write(index, Stopwatch.GetTimestamp()) + WsFanoutBenchmark.Padding, cancellationToken);
        }

        return new PipelineResult("done", new { }, RunUsage.None);
    }
}
