using System.Text.Json;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Meridian.Server.Threads;

namespace Meridian.Server.Gateway;

/// <summary>The thread frames of docs/protocol.md#3-frames: <c>switch_thread</c> and <c>get_thread_history</c>, over
/// the user's own threads only.</summary>
internal sealed class ThreadFrames(ThreadStore threads, MessageStore messages)
{
    private const int DefaultHistory = 50;
    private const int MaxHistory = 200;

    public async Task SwitchAsync(GatewayConnection connection, ClientFrame.SwitchThread frame)
    {
        var id = frame.Id;
        if (await OwnedThreadAsync(connection, frame.ThreadId, id) is not { } thread)
        {
            return;
        }

        connection.CurrentThreadId = thread.Id;
        var recent = await messages.RecentAsync(thread.Id, DefaultHistory, connection.Closed);
        connection.Send(Frames.Build("thread_data", id, w =>
        {
            w.WriteString("thread_id", thread.Id);
            w.WriteString("title", thread.Title);
            Frames.Object(w, "messages", recent.Select(ThreadEndpoints.MessageView));
        }), "thread_data");
    }

    public async Task HistoryAsync(GatewayConnection connection, ClientFrame.GetThreadHistory history)
    {
        var id = history.Id;
        var limit = history.Limit is { } requestedLimit ? Math.Clamp(requestedLimit, 1, MaxHistory) : DefaultHistory;
        var requested = history.ThreadId ?? connection.CurrentThreadId;
        ThreadRecord? thread = requested is null
            ? await threads.MostRecentActiveAsync(connection.User!.UserId, connection.Closed)
            : await OwnedThreadAsync(connection, requested, id);
        if (thread is null && requested is not null)
        {
            return;
        }

        var recent = thread is null ? [] : await messages.RecentAsync(thread.Id, limit, connection.Closed);
        connection.Send(Frames.Build("thread_history", id, w =>
        {
            if (thread is null)
            {
                w.WriteNull("thread_id");
            }
            else
            {
                w.WriteString("thread_id", thread.Id);
            }

            Frames.Object(w, "messages", recent.Select(ThreadEndpoints.MessageView));
        }), "thread_history");
    }

    private async Task<ThreadRecord?> OwnedThreadAsync(GatewayConnection connection, string? threadId, JsonElement? id)
    {
        if (threadId is null)
        {
            connection.SendError(ErrorCodes.InvalidMessage, "thread_id is required.", id);
            return null;
        }

        var thread = await threads.GetAsync(threadId, connection.Closed);
        if (thread is null)
        {
            connection.SendError(ErrorCodes.ThreadNotFound, $"No thread '{Excerpt.Of(threadId, 64)}'.", id);
            return null;
        }

        if (thread.UserId != connection.User!.UserId)
        {
            connection.SendError(ErrorCodes.ThreadAccessDenied, "That thread belongs to another user.", id);
            return null;
        }

        return thread;
    }
}
