using Dapper;
using Meridian.Server.Runs;
using Meridian.Server.Storage;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Runs;

/// <summary>A node renews the leases of the runs it executes (docs/runs.md#1-life-of-a-run), so a run longer than a
/// lease is never taken for a dead node's and ended as interrupted.</summary>
public sealed class RunLeaseTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_longer_than_its_lease_keeps_it_renewed_and_completes(StorageProvider provider)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new ScriptedPipeline(async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return ScriptedPipeline.Done();
        });
        await using var harness = await RuntimeHarness.StartAsync(pipeline, provider, new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "3" });
        var runId = await harness.StartAsync("user_a", "a long run");
        await harness.WaitForStatusAsync(runId, RunStatus.Running);
        var first = await LeaseAsync(harness, runId);

        // Renewed every second; without renewal the lease would lapse and recovery would end the run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long? renewed;
        while ((renewed = await LeaseAsync(harness, runId)) <= first + 1000)
        {
            await Task.Delay(100, timeout.Token);
        }

        (await harness.Runs.GetAsync("user_a", runId, TestContext.Current.CancellationToken))!.Status.ShouldBe(RunStatus.Running);
        gate.SetResult();
        (await harness.EndedAsync(runId)).Status.ShouldBe(RunStatus.Completed, $"lease {first} -> {renewed}");
    }

    private static async Task<long?> LeaseAsync(RuntimeHarness harness, string runId)
    {
        await using var connection = await harness.Server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long?>("SELECT lease_expires_at FROM runs WHERE id = @runId", new { runId });
    }
}
