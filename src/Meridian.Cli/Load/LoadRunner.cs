using System.Diagnostics;
using Meridian.Cli.Commands;
using Meridian.Client;

namespace Meridian.Cli.Load;

/// <summary>Runs a load test: signs in the virtual users (a user of their own each when the credentials can mint
/// users), starts them spread over the ramp, and gathers what they measure.</summary>
internal sealed class LoadRunner(LoadSettings settings)
{
    private const int SignInConcurrency = 8;

    public LoadStats Stats { get; } = new();

    /// <summary>How many distinct users the virtual users act as (1 with a token or a password).</summary>
    public int DistinctUsers { get; private set; }

    /// <summary>Signs in every user first: a refused credential or an unreachable target stops here
    /// (<see cref="SignInException"/>), before any load.</summary>
    public async Task<LoadReport> RunAsync(Action<LoadSnapshot, TimeSpan>? progress, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clients = await SignInAsync(ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var users = clients.Select((c, i) => new VirtualUser(i + 1, c, settings, Stats)).ToList();
            var running = users.Select((user, i) => StartAsync(user, Offset(i), clock, ct)).ToList();
            var all = Task.WhenAll(running);
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
                progress?.Invoke(Stats.Snapshot(), clock.Elapsed);
            }

            await all;
            ct.ThrowIfCancellationRequested();
            return new LoadReport(settings, started, clock.Elapsed, DistinctUsers, Stats.Snapshot());
        }
        finally
        {
            foreach (var client in clients.Distinct())
            {
                client.Dispose();
            }
        }
    }

    private TimeSpan Offset(int index) => settings.Users <= 1 ? TimeSpan.Zero : settings.Ramp * index / settings.Users;

    private static async Task StartAsync(VirtualUser user, TimeSpan offset, Stopwatch clock, CancellationToken ct)
    {
        var wait = offset - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await user.RunAsync(clock, ct);
    }

    private async Task<List<MeridianClient>> SignInAsync(CancellationToken ct)
    {
        // The HTTP timeout covers a turn, for the event reads after a timed-out run.
        var timeout = settings.TurnTimeout + settings.EventTimeout;
        if (!SignIn.CanMint(settings.Credentials))
        {
            var shared = new MeridianClient(settings.Target, timeout: timeout);
            try
            {
                await SignIn.RunAsync(shared, settings.Credentials, null, "Load test", ct);
            }
            catch
            {
                shared.Dispose();
                throw;
            }

            DistinctUsers = 1;
            return Enumerable.Repeat(shared, settings.Users).ToList();
        }

        var clients = Enumerable.Range(1, settings.Users).Select(_ => new MeridianClient(settings.Target, timeout: timeout)).ToList();
        try
        {
            await Parallel.ForEachAsync(
                clients.Select((c, i) => (Client: c, Number: i + 1)),
                new ParallelOptions { MaxDegreeOfParallelism = SignInConcurrency, CancellationToken = ct },
                async (user, token) => await SignIn.RunAsync(
                    user.Client, settings.Credentials, $"meridian-load-{settings.RunId}-{user.Number}@example.com", $"Load user {user.Number}", token));
        }
        catch
        {
            clients.ForEach(c => c.Dispose());
            throw;
        }

        DistinctUsers = clients.Count;
        return clients;
    }
}
