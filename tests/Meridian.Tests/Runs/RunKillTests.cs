using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Npgsql;

namespace Meridian.Tests.Runs;

/// <summary>A server process killed in the middle of a run; the next start ends the run.</summary>
[Collection(SerialProcesses.Name)]
public sealed class RunKillTests
{
    [Fact]
    public async Task A_run_whose_process_is_killed_mid_run_ends_with_agent_failed_on_the_next_start()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var environment = new Dictionary<string, string?>
        {
            ["MERIDIAN_Server__DataDirectory"] = database.DataDirectory,
            ["MERIDIAN_Storage__Provider"] = "postgres",
            ["MERIDIAN_Storage__ConnectionString"] = database.ConnectionString,
            ["MERIDIAN_Auth__JwtSecret"] = AuthHarness.Secret,
            ["MERIDIAN_Runs__NodeId"] = "node-killed",
        };
        var token = AuthHarness.Mint(new Dictionary<string, object> { ["sub"] = "victim" });

        string runId;
        await using (var first = ServerProcess.Start(environment))
        {
            await first.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
            await using var blocker = new NpgsqlConnection(database.ConnectionString);
            await blocker.OpenAsync(TestContext.Current.CancellationToken);
            await using var hold = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            // While this lock is held the run is accepted and marked running, but its first event cannot be written.
            await blocker.ExecuteAsync("LOCK TABLE run_events IN EXCLUSIVE MODE", transaction: hold);

            using var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var accepted = await http.PostAsJsonAsync("/api/agents/execute?wait=false", new { message = "How much do we spend?" }, TestContext.Current.CancellationToken);
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("run_id").GetString()!;
            await using (var watcher = new NpgsqlConnection(database.ConnectionString))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await watcher.ExecuteScalarAsync<string>("SELECT status FROM runs WHERE id = @runId", new { runId }) != "running")
                {
                    await Task.Delay(20, timeout.Token);
                }
            }

            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await hold.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await using var second = ServerProcess.Start(environment);
        await second.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = second.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}", TestContext.Current.CancellationToken);
        var events = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/events", TestContext.Current.CancellationToken)).GetProperty("events").EnumerateArray().ToList();

        run.GetProperty("status").GetString().ShouldBe("failed", second.Output);
        run.GetProperty("error").GetProperty("error_code").GetString().ShouldBe("RUN_INTERRUPTED");
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["agent_started", "agent_failed"]);
        events[^1].GetProperty("recoverable").GetBoolean().ShouldBeTrue();
        RunInvariants.Violations(events).ShouldBeEmpty();
    }
}
