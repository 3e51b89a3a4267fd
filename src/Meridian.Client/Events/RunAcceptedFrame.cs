using System.Text.Json;

namespace Meridian.Client.Events;

/// <summary><c>run_accepted</c> <c>{run_id, thread_id}</c>: the answer to a message that started a run.</summary>
public sealed class RunAcceptedFrame(JsonElement raw, DateTimeOffset received) : ServerFrame(raw, received)
{
    public string? RunId => Raw.Text("run_id");

    public string? ThreadId => Raw.Text("thread_id");
}
