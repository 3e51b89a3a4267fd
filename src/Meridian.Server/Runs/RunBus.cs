using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Meridian.Server.Runs;

/// <summary>Delivers each run event, after it is stored, to the subscribers of its owner and of the run.
/// Handlers run on the publisher's thread and must not block: the gateway and SSE only enqueue.</summary>
public sealed class RunBus
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<RunEvent>>> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<RunEvent>>> _byRun = new(StringComparer.Ordinal);

    /// <summary>Every event of every run owned by <paramref name="userId"/>.</summary>
    public IDisposable SubscribeUser(string userId, Action<RunEvent> handler) => Subscribe(_byUser, userId, handler);

    /// <summary>Every event of one run.</summary>
    public IDisposable SubscribeRun(string runId, Action<RunEvent> handler) => Subscribe(_byRun, runId, handler);

    public void Publish(RunEvent runEvent)
    {
        Deliver(_byUser, runEvent.UserId, runEvent);
        Deliver(_byRun, runEvent.RunId, runEvent);
    }

    private static void Deliver(ConcurrentDictionary<string, ImmutableArray<Action<RunEvent>>> map, string key, RunEvent runEvent)
    {
        if (!map.TryGetValue(key, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            handler(runEvent);
        }
    }

    private static Subscription Subscribe(ConcurrentDictionary<string, ImmutableArray<Action<RunEvent>>> map, string key, Action<RunEvent> handler)
    {
        map.AddOrUpdate(key, static (_, h) => [h], static (_, list, h) => list.Add(h), handler);
        return new Subscription(() =>
        {
            while (map.TryGetValue(key, out var list))
            {
                var remaining = list.Remove(handler);
                var done = remaining.IsEmpty
                    ? map.TryRemove(new KeyValuePair<string, ImmutableArray<Action<RunEvent>>>(key, list))
                    : map.TryUpdate(key, remaining, list);
                if (done)
                {
                    return;
                }
            }
        });
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
