using System.Text.Json;

namespace Meridian.Tests.Cluster;

/// <summary>Reading one run's events off a socket: frames with the run's id and a seq, up to its terminal event.</summary>
public static class ClusterEvents
{
    private static readonly string[] Terminal = ["agent_completed", "agent_failed", "agent_stopped"];

    public static bool IsEventOf(JsonElement frame, string runId) =>
        frame.TryGetProperty("seq", out _) && frame.TryGetProperty("run_id", out var id) && id.GetString() == runId;

    public static bool IsTerminal(JsonElement frame) => Terminal.Contains(frame.GetProperty("type").GetString());

    public static string Type(JsonElement frame) => frame.GetProperty("type").GetString()!;

    /// <summary>Receives until the run's terminal event (if not seen already); returns every event of the run the
    /// socket got, in the order it got them.</summary>
    public static async Task<List<JsonElement>> UntilTerminalAsync(WsClient socket, string runId, TimeSpan wait)
    {
        if (!socket.Seen.Any(f => IsEventOf(f, runId) && IsTerminal(f)))
        {
            await socket.ExpectAsync(f => IsEventOf(f, runId) && IsTerminal(f), wait);
        }

        return [.. socket.Seen.Where(f => IsEventOf(f, runId))];
    }

    /// <summary>Receives until a frame matches, unless one already came.</summary>
    public static async Task<JsonElement> SeenOrNextAsync(WsClient socket, Func<JsonElement, bool> match, TimeSpan wait) =>
        socket.Seen.Any(match) ? socket.Seen.First(match) : await socket.ExpectAsync(match, wait);

    public static long[] Seqs(IEnumerable<JsonElement> events) => [.. events.Select(e => e.GetProperty("seq").GetInt64())];
}
