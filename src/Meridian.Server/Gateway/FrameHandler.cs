using Meridian.Server.Errors;
using System.Collections.Frozen;
using System.Collections.Concurrent;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Http;
using Meridian.Server.Runs;
using Meridian.Server.Threads;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Answers each client frame type of docs/protocol.md#3-frames. Identity comes only from the connection's token;
/// client-supplied <c>user_id</c> fields are ignored.</summary>
internal sealed class FrameHandler(
    RunService runs,
    ThreadStore threads,
    MessageStore messages,
    RunBus bus,
    TokenValidator validator,
    Welcome welcome,
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth)
{
    private const int DefaultHistory = 50;
    private const int MaxHistory = 200;

    private readonly ConcurrentDictionary<string, TokenBucket> _userBuckets = new(StringComparer.Ordinal);

    /// <summary>The frame types <see cref="HandleAsync"/> answers (aliases included). Metrics label frames by these
    /// only: a label taken from whatever a client sends would let it grow the metrics without bound.</summary>
    public static readonly FrozenSet<string> Types = FrozenSet.Create(StringComparer.Ordinal,
        "ping", "heartbeat", "auth", "user_message", "message", "chat_message", "chat", "start_agent", "execute_agent",
        "stop_agent", "resume", "switch_thread", "get_thread_history", "get_agent_status");

    public async Task HandleAsync(GatewayConnection connection, JsonElement frame, string type, JsonElement? id)
    {
        // A frame read after a revocation reached the socket starts nothing: the socket is closing (1008).
        if (connection.Revocation is { } revoked)
        {
            connection.SendError(revoked.Error, revoked.Message, id);
            return;
        }

        if (connection.User is null && type != "auth")
        {
            connection.SendError(ErrorCodes.AuthRequired, Welcome.AuthRequiredMessage, id);
            return;
        }

        switch (type)
        {
            case "ping":
                connection.Send(Frames.Build("pong", id), "pong");
                break;
            case "heartbeat":
                connection.Send(Frames.Build("heartbeat_ack", id, w => w.WriteString("status", "healthy")), "heartbeat_ack");
                break;
            case "auth":
                await AuthenticateAsync(connection, JsonFields.Text(frame, "token"), id);
                break;
            case "user_message" or "message" or "chat_message" or "chat" or "start_agent" or "execute_agent":
                await StartRunAsync(connection, frame, id);
                break;
            case "stop_agent":
                await StopAsync(connection, frame, id);
                break;
            case "resume":
                await ResumeAsync(connection, frame, id);
                break;
            case "switch_thread":
                await SwitchThreadAsync(connection, frame, id);
                break;
            case "get_thread_history":
                await HistoryAsync(connection, frame, id);
                break;
            case "get_agent_status":
                await StatusAsync(connection, id);
                break;
            default:
                connection.SendError(ErrorCodes.UnknownMessageType, $"Unknown message type '{Truncate(type)}'.", id);
                break;
        }
    }

    /// <summary>Attaches an authenticated user: the welcome frame, then their run events.</summary>
    public void Attach(GatewayConnection connection, AuthenticatedUser user, JsonElement? replyTo = null)
    {
        var first = connection.User is null;
        connection.User = user;
        connection.ReauthSince = null;
        connection.Send(welcome.Frame(connection, user, replyTo), "system_message");
        if (first)
        {
            var subscription = bus.SubscribeUser(user.UserId, connection.Deliver);
            connection.Closed.Register(subscription.Dispose);
        }
    }

    private async Task AuthenticateAsync(GatewayConnection connection, string? token, JsonElement? id)
    {
        var result = await validator.ValidateAsync(token, connection.Closed);
        if (!result.IsValid)
        {
            connection.SendError(result.Error ?? ErrorCodes.InvalidToken, result.Reason ?? "The token is not valid.", id);
            return;
        }

        if (auth.Value.EnforcePermissions && !result.User!.HasPermission("chat"))
        {
            connection.SendError(ErrorCodes.PermissionDenied, "This account lacks the 'chat' permission.", id);
            return;
        }

        if (connection.User is { } current && current.UserId != result.User!.UserId)
        {
            connection.SendError(ErrorCodes.IdentityMismatch, "A socket keeps the identity it authenticated with; open a new socket for another user.", id);
            return;
        }

        Attach(connection, result.User!, id);
    }

    private async Task StartRunAsync(GatewayConnection connection, JsonElement frame, JsonElement? id)
    {
        if (!TakeMessageToken(connection.User!.UserId, out var retryAfterMs))
        {
            connection.SendError(ErrorCodes.RateLimited, $"Too many messages; retry in {retryAfterMs} ms.", id, retryAfterMs);
            return;
        }

        var payload = frame.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var text = JsonFields.MessageText(frame) ?? JsonFields.Text(payload, "content") ?? JsonFields.Text(payload, "user_request");
        var agent = JsonFields.Text(frame, "agent") ?? JsonFields.Text(payload, "agent_type");
        // A thread_id that is not a string is refused, never read as "no thread" (docs/protocol.md#3-frames).
        if (!JsonFields.TryOptionalText(frame, "thread_id", out var topThreadId) || !JsonFields.TryOptionalText(payload, "thread_id", out var payloadThreadId))
        {
            connection.SendError(ErrorCodes.InvalidThreadId, "thread_id must be a string of 1–128 letters, digits, '_' or '-'.", id);
            return;
        }

        var threadId = topThreadId ?? payloadThreadId;

        await connection.StartingRunAsync(
            () => runs.StartAsync(connection.User.UserId, new StartRunRequest(text, agent, threadId), connection.Closed),
            result => result.RunId,
            result =>
            {
                if (result.Accepted)
                {
                    connection.CurrentThreadId = result.ThreadId;
                    connection.Send(Frames.Build("run_accepted", id, w =>
                    {
                        w.WriteString("run_id", result.RunId);
                        w.WriteString("thread_id", result.ThreadId);
                    }), "run_accepted");
                }
                else
                {
                    connection.SendError(result.Error!, result.Message!, id, result.RetryAfterMs);
                }
            });
    }

    private async Task StopAsync(GatewayConnection connection, JsonElement frame, JsonElement? id)
    {
        var user = connection.User!.UserId;
        IReadOnlyList<string> stopped = JsonFields.Text(frame, "run_id") is { } runId
            ? await runs.StopAsync(user, runId, "stopped by the user") ? [runId] : []
            : await runs.StopActiveAsync(user, connection.CurrentThreadId, "stopped by the user");
        connection.Send(stopped.Count == 0
            ? Frames.Error(ErrorCodes.NoActiveRun, "There is no active run of yours to stop here.", id)
            : Frames.Build("stop_requested", id, w => Frames.Object(w, "run_ids", stopped)), stopped.Count == 0 ? "error" : "stop_requested");
    }

    private async Task ResumeAsync(GatewayConnection connection, JsonElement frame, JsonElement? id)
    {
        var afterSeq = frame.TryGetProperty("after_seq", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out var n) ? n : 0;
        if (JsonFields.Text(frame, "run_id") is not { } runId || afterSeq < 0)
        {
            connection.SendError(ErrorCodes.InvalidMessage, "resume needs run_id and a non-negative after_seq.", id);
            return;
        }

        if (await runs.GetAsync(connection.User!.UserId, runId, connection.Closed) is not { } run)
        {
            connection.SendError(ErrorCodes.RunNotFound, $"No run '{Truncate(runId)}'.", id);
            return;
        }

        // Replayed in the background: the socket keeps answering other frames meanwhile.
        _ = connection.ResumeAsync(runs.EventsAsync(run, afterSeq, connection.Closed), run.Id, afterSeq, id);
    }

    private async Task SwitchThreadAsync(GatewayConnection connection, JsonElement frame, JsonElement? id)
    {
        if (await OwnedThreadAsync(connection, JsonFields.Text(frame, "thread_id"), id) is not { } thread)
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

    private async Task HistoryAsync(GatewayConnection connection, JsonElement frame, JsonElement? id)
    {
        var limit = frame.TryGetProperty("limit", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var v) ? Math.Clamp(v, 1, MaxHistory) : DefaultHistory;
        var requested = JsonFields.Text(frame, "thread_id") ?? connection.CurrentThreadId;
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

    private async Task StatusAsync(GatewayConnection connection, JsonElement? id)
    {
        var active = await runs.ActiveAsync(connection.User!.UserId, connection.Closed);
        connection.Send(Frames.Build("agent_status", id, w => Frames.Object(w, "active_runs", active.Select(r => new
        {
            run_id = r.Id,
            thread_id = r.ThreadId,
            status = r.Status,
            started_at = Time.FromMs(r.StartedAt),
        }))), "agent_status");
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
            connection.SendError(ErrorCodes.ThreadNotFound, $"No thread '{Truncate(threadId)}'.", id);
            return null;
        }

        if (thread.UserId != connection.User!.UserId)
        {
            connection.SendError(ErrorCodes.ThreadAccessDenied, "That thread belongs to another user.", id);
            return null;
        }

        return thread;
    }

    private bool TakeMessageToken(string userId, out int retryAfterMs)
    {
        var o = options.Value;
        var bucket = _userBuckets.GetOrAdd(userId, _ => new TokenBucket(o.MessageBurst, o.MessagesPerMinute / 60.0));
        return bucket.TryTake(out retryAfterMs);
    }

    private static string Truncate(string text) => Excerpt.Of(text, 64);
}
