using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Meridian.Server.Runs;

/// <summary>Delivers each run event, after it is stored, to the subscribers of its owner and of the run. A handler
/// takes the events of one log commit that concern it at once, in order. Handlers run on the publisher's thread and
/// must not block: the gateway and SSE only enqueue.</summary>
public sealed class RunBus
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<IReadOnlyList<RunEvent>>>> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<IReadOnlyList<RunEvent>>>> _byRun = new(StringComparer.Ordinal);

    /// <summary>Every event of every run owned by <paramref name="userId"/>.</summary>
    public IDisposable SubscribeUser(string userId, Action<IReadOnlyList<RunEvent>> handler) => Subscribe(_byUser, userId, handler);

    /// <inheritdoc cref="SubscribeUser(string, Action{IReadOnlyList{RunEvent}})"/>
    public IDisposable SubscribeUser(string userId, Action<RunEvent> handler) => Subscribe(_byUser, userId, Each(handler));

    /// <summary>Every event of one run.</summary>
    public IDisposable SubscribeRun(string runId, Action<IReadOnlyList<RunEvent>> handler) => Subscribe(_byRun, runId, handler);

    /// <inheritdoc cref="SubscribeRun(string, Action{IReadOnlyList{RunEvent}})"/>
    public IDisposable SubscribeRun(string runId, Action<RunEvent> handler) => Subscribe(_byRun, runId, Each(handler));

    public void Publish(RunEvent runEvent) => Publish([runEvent]);

    /// <summary>Whether anyone here follows the run or its owner (events of other nodes are read only then).</summary>
    public bool HasSubscribers(string userId, string runId) => _byUser.ContainsKey(userId) || _byRun.ContainsKey(runId);

    /// <summary>Publishes events in order, subscriber by subscriber rather than event by event: each subscriber
    /// (a socket's send queue) takes all of its events at once, so it locks its queue and its sender wakes once for
    /// the lot.</summary>
    public void Publish(IReadOnlyList<RunEvent> events)
    {
        if (events.Count == 1)
        {
            Deliver(_byUser, events[0].UserId, events);
            Deliver(_byRun, events[0].RunId, events);
            return;
        }

        foreach (var byUser in events.GroupBy(e => e.UserId, StringComparer.Ordinal))
        {
            Deliver(_byUser, byUser.Key, [.. byUser]);
        }

        foreach (var byRun in events.GroupBy(e => e.RunId, StringComparer.Ordinal))
        {
            Deliver(_byRun, byRun.Key, [.. byRun]);
        }
    }

    private static void Deliver(ConcurrentDictionary<string, ImmutableArray<Action<IReadOnlyList<RunEvent>>>> map, string key, IReadOnlyList<RunEvent> events)
    {
        if (!map.TryGetValue(key, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            handler(events);
        }
    }

    private static Action<IReadOnlyList<RunEvent>> Each(Action<RunEvent> handler) => events =>
    {
        foreach (var runEvent in events)
        {
            handler(runEvent);
        }
    };

    private static Subscription Subscribe(ConcurrentDictionary<string, ImmutableArray<Action<IReadOnlyList<RunEvent>>>> map, string key, Action<IReadOnlyList<RunEvent>> handler)
    {
        map.AddOrUpdate(key, static (_, h) => [h], static (_, list, h) => list.Add(h), handler);
        return new Subscription(() =>
        {
            while (map.TryGetValue(key, out var list))
            {
                var remaining = list.Remove(handler);
                var done = remaining.IsEmpty
                    ? map.TryRemove(new KeyValuePair<string, ImmutableArray<Action<IReadOnlyList<RunEvent>>>>(key, list))
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
