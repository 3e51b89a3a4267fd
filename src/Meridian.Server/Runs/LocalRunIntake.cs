using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

/// <summary>The single node's queue (SQLite): the accepting node holds every run it accepts and executes it when the
/// <see cref="RunScheduler"/> gives it a turn.</summary>
public sealed class LocalRunIntake(
    RunStore runs,
    MessageStore messages,
    RunScheduler scheduler,
    ActiveRuns active,
    RunExecutor executor,
    RunNode node,
    IOptions<RunOptions> options) : IRunIntake
{
    public async Task<RunRecord?> AcceptAsync(string threadId, string userId, string agent, string input, CancellationToken cancellationToken)
    {
        if (!scheduler.TryAdmit(userId))
        {
            return null;
        }

        RunRecord record;
        try
        {
            record = await runs.CreateAsync(threadId, userId, agent, input, node.Id, TimeSpan.FromSeconds(options.Value.LeaseSeconds), CancellationToken.None);
            await messages.AddAsync(threadId, userId, MessageRoles.User, input, record.Id, CancellationToken.None);
        }
        catch
        {
            scheduler.Withdraw(userId);
            throw;
        }

        var run = new ActiveRun(record);
        active.Add(run);
        _ = Task.Run(() => executor.ExecuteAsync(run), CancellationToken.None);
        return record;
    }

    /// <summary>A waiting run is held here, in <see cref="ActiveRuns"/>, and stopped there.</summary>
    public Task<bool> StopWaitingAsync(RunRecord run, string reason) => Task.FromResult(false);
}
