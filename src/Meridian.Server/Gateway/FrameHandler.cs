using System.Collections.Concurrent;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Meridian.Server.Runs;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Answers each client frame of docs/protocol.md#3-frames, typed by <see cref="FrameReader"/>. Identity
/// comes only from the connection's token; client-supplied <c>user_id</c> fields are ignored.</summary>
internal sealed partial class FrameHandler(
    RunService runs,
    ThreadFrames threadFrames,
    RunBus bus,
    ChatAccess access,
    Welcome welcome,
    IOptions<GatewayOptions> options,
    ILogger<FrameHandler> logger)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _userBuckets = new(StringComparer.Ordinal);

    /// <summary>Answers one frame. A fault nobody anticipated is logged as a bug and answered with
    /// <c>INTERNAL_ERROR</c>; the socket stays open (docs/protocol.md#4-bad-input).</summary>
    public async Task HandleAsync(GatewayConnection connection, ClientFrame frame)
    {
        try
        {
            await AnswerAsync(connection, frame);
        }
        catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFault(ex, connection.Id, frame.Type);
            connection.SendError(ErrorCodes.InternalError, "The server failed to handle this frame; it has been logged.", frame.Id);
        }
    }

    private async Task AnswerAsync(GatewayConnection connection, ClientFrame frame)
    {
        var id = frame.Id;

        // A frame read after a revocation reached the socket starts nothing: the socket is closing (1008).
        if (connection.Revocation is { } revoked)
        {
            connection.SendError(revoked.Error, revoked.Message, id);
            return;
        }

        if (connection.User is null && frame is not ClientFrame.Auth)
        {
            connection.SendError(ErrorCodes.AuthRequired, Welcome.AuthRequiredMessage, id);
            return;
        }

        switch (frame)
        {
            case ClientFrame.Ping:
                connection.Send(Frames.Build("pong", id), "pong");
                break;
            case ClientFrame.Heartbeat:
                connection.Send(Frames.Build("heartbeat_ack", id, w => w.WriteString("status", "healthy")), "heartbeat_ack");
                break;
            case ClientFrame.Auth auth:
                await AuthenticateAsync(connection, auth.Token, id);
                break;
            case ClientFrame.UserMessage message:
                await StartRunAsync(connection, message);
                break;
            case ClientFrame.StopAgent stop:
                await StopAsync(connection, stop.RunId, id);
                break;
            case ClientFrame.Resume resume:
                await ResumeAsync(connection, resume);
                break;
            case ClientFrame.SwitchThread switchThread:
                await threadFrames.SwitchAsync(connection, switchThread);
                break;
            case ClientFrame.GetThreadHistory history:
                await threadFrames.HistoryAsync(connection, history);
                break;
            case ClientFrame.GetAgentStatus:
                await StatusAsync(connection, id);
                break;
            default:
                connection.SendError(ErrorCodes.UnknownMessageType, $"Unknown message type '{Excerpt.Of(frame.Type, 64)}'.", id);
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
            var subscription = bus.SubscribeUser(user.UserId, connection.Delivery.Deliver);
            connection.Closed.Register(subscription.Dispose);
        }
    }

    private async Task AuthenticateAsync(GatewayConnection connection, string? token, JsonElement? id)
    {
        var outcome = await access.CheckAsync(token, connection.Closed);
        if (outcome.User is not { } user)
        {
            connection.SendError(outcome.Error!, outcome.Message!, id);
            return;
        }

        if (connection.User is { } current && current.UserId != user.UserId)
        {
            connection.SendError(ErrorCodes.IdentityMismatch, "A socket keeps the identity it authenticated with; open a new socket for another user.", id);
            return;
        }

        Attach(connection, user, id);
    }

    /// <summary>Checks the message, starts the run, and (when accepted) queues <c>run_accepted</c> ahead of any of the
    /// run's events, which this socket then follows (<see cref="RunDelivery"/>).</summary>
    private async Task StartRunAsync(GatewayConnection connection, ClientFrame.UserMessage message)
    {
        var userId = connection.User!.UserId;
        if (!TakeMessageToken(userId, out var retryAfterMs))
        {
            connection.SendError(ErrorCodes.RateLimited, $"Too many messages; retry in {retryAfterMs} ms.", message.Id, retryAfterMs);
            return;
        }

        // A thread_id that is not a string is refused, never read as "no thread" (docs/protocol.md#3-frames).
        if (message.ThreadIdNotText)
        {
            connection.SendError(ErrorCodes.InvalidThreadId, "thread_id must be a string of 1–128 letters, digits, '_' or '-'.", message.Id);
            return;
        }

        StartRunResult? result = null;
        connection.Delivery.StartingRun();
        try
        {
            result = await runs.StartAsync(userId, new StartRunRequest(message.Text, message.Agent, message.ThreadId), connection.Closed);
        }
        finally
        {
            connection.Delivery.RunStarted(result?.RunId, result is { Accepted: true } ? RunAccepted(result, message.Id) : null);
        }

        if (result.Accepted)
        {
            connection.CurrentThreadId = result.ThreadId;
        }
        else
        {
            connection.SendError(result.Error!, result.Message!, message.Id, result.RetryAfterMs);
        }
    }

    private static byte[] RunAccepted(StartRunResult result, JsonElement? id) =>
        Frames.Build("run_accepted", id, w =>
        {
            w.WriteString("run_id", result.RunId);
            w.WriteString("thread_id", result.ThreadId);
        });

    private async Task StopAsync(GatewayConnection connection, string? runId, JsonElement? id)
    {
        var user = connection.User!.UserId;
        IReadOnlyList<string> stopped = runId is not null
            ? await runs.StopAsync(user, runId, "stopped by the user") ? [runId] : []
            : await runs.StopActiveAsync(user, connection.CurrentThreadId, "stopped by the user");
        connection.Send(stopped.Count == 0
            ? Frames.Error(ErrorCodes.NoActiveRun, "There is no active run of yours to stop here.", id)
            : Frames.Build("stop_requested", id, w => Frames.Object(w, "run_ids", stopped)), stopped.Count == 0 ? "error" : "stop_requested");
    }

    private async Task ResumeAsync(GatewayConnection connection, ClientFrame.Resume resume)
    {
        if (resume.RunId is not { } runId || resume.AfterSeq < 0)
        {
            connection.SendError(ErrorCodes.InvalidMessage, "resume needs run_id and a non-negative after_seq.", resume.Id);
            return;
        }

        if (await runs.GetAsync(connection.User!.UserId, runId, connection.Closed) is not { } run)
        {
            connection.SendError(ErrorCodes.RunNotFound, $"No run '{Excerpt.Of(runId, 64)}'.", resume.Id);
            return;
        }

        // Replayed in the background: the socket keeps answering other frames meanwhile.
        _ = connection.Delivery.ResumeAsync(runs.EventsAsync(run, resume.AfterSeq, connection.Closed), run.Id, resume.AfterSeq, resume.Id);
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

    private bool TakeMessageToken(string userId, out int retryAfterMs)
    {
        var o = options.Value;
        var bucket = _userBuckets.GetOrAdd(userId, _ => new TokenBucket(o.MessageBurst, o.MessagesPerMinute / 60.0));
        return bucket.TryTake(out retryAfterMs);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Socket {ConnectionId}: unexpected fault handling a '{FrameType}' frame")]
    private partial void LogFault(Exception ex, string connectionId, string frameType);
}
