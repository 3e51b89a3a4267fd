using System.Diagnostics;
using System.Text.Json;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Client.Socket;
using static Meridian.Validation.Checks.CheckRequirements;

namespace Meridian.Validation.Checks;

/// <summary>What a check works with: users, HTTP probes that diagnose what they get, sockets whose welcome is
/// checked against the contract, and runs followed to their terminal event. Every wait is bounded and named, so a
/// timeout says what it was waiting for. Sockets opened here are closed when the check ends.</summary>
public sealed class CheckContext : IAsyncDisposable
{
    /// <summary>A question every pipeline can answer: a cost figure and a target.</summary>
    public const string Question = "We spend $4,000 a month on GPT-4o for our support chat; how can we cut that by 30% without losing quality?";

    private readonly ValidationSession _session;
    private readonly List<MeridianSocket> _sockets = [];
    private readonly List<string> _notes = [];
    private int _ids;

    internal CheckContext(ValidationSession session, Check check, CancellationToken cancellation)
    {
        _session = session;
        Check = check;
        Cancellation = cancellation;
    }

    public Check Check { get; }

    public ValidationSettings Settings => _session.Settings;

    public CancellationToken Cancellation { get; }

    /// <summary>A client without credentials.</summary>
    public MeridianClient Anonymous => _session.Anonymous;

    /// <summary>What the check is waiting for right now (named in a timeout's diagnosis).</summary>
    public string? Waiting { get; private set; }

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Records what the check measured or saw; reports show notes of passing checks too.</summary>
    public void Note(string text) => _notes.Add(text);

    public Task<Identity> UserAsync()
    {
        RequireCapabilities(Capability.SignIn);
        return Wait("a signed-in user", _session.Users.ForModuleAsync(Check.Module, _session.Cancellation));
    }

    /// <summary>A second user, or a skip when the credentials give only one.</summary>
    public Task<Identity> OtherUserAsync()
    {
        RequireCapabilities(Capability.SignIn);
        return _session.Users.OtherAsync(Check.Module, _session.Cancellation) is { } other
            ? Wait("a second signed-in user", other)
            : throw new CheckSkippedException("needs a second user: validate with --e2e-key or --dev-login, or give --second-token");
    }

    public string NextId() => $"v{Interlocked.Increment(ref _ids)}";

    public void RequireWithin(TimeSpan measured, TimeSpan limit, string what, params string[] evidence)
    {
        Note($"{what}: {measured.TotalMilliseconds:0} ms (threshold {limit.TotalMilliseconds:0} ms)");
        Require(measured <= limit, DiagnosisKind.LatencyAboveThreshold,
            $"{what} took {measured.TotalMilliseconds:0} ms, above the {limit.TotalMilliseconds:0} ms threshold", evidence);
    }

    /// <summary>Reads until <paramref name="holds"/> (every 100 ms, at most the event timeout) and returns the last
    /// value read: for what the server writes just after an event it has already sent.</summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> holds)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (holds(value) || clock.Elapsed >= Settings.EventTimeout)
            {
                return value;
            }

            await Task.Delay(100, Cancellation);
        }
    }

    // --- HTTP ----------------------------------------------------------------------------------------------

    /// <summary>Sends a request (anonymously, or as <paramref name="user"/>) and returns the answer as it is.</summary>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, Identity? user = null, object? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        RequireCapabilities(Capability.HttpAnswers);
        return Wait($"{method} {path}", (user?.Client ?? Anonymous).SendAsync(method, path, body, headers, ct: Cancellation));
    }

    /// <summary>GETs a route that must answer <paramref name="status"/> with JSON: a redirect, another status or a
    /// body that is not JSON fails the check with that diagnosis.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, Identity? user = null, int status = 200) =>
        RequireJson(await SendAsync(HttpMethod.Get, path, user), status);

    public async Task<JsonElement> PostJsonAsync(string path, object body, Identity? user = null, int status = 200) =>
        RequireJson(await SendAsync(HttpMethod.Post, path, user, body), status);

    // --- sockets -------------------------------------------------------------------------------------------

    /// <summary>Opens a socket (closed when the check ends) without reading anything from it. An upgrade of the
    /// target's own socket that is not answered in time shows the sockets do not open: later opens fail at once.</summary>
    public async Task<MeridianSocket> OpenAsync(SocketOptions options, Uri? uri = null)
    {
        RequireCapabilities(Capability.SocketOpens);
        try
        {
            var socket = await Wait($"the WebSocket upgrade of {options.Path}", MeridianSocket.ConnectAsync(
                uri ?? Anonymous.SocketUri(options.Path), options with { ConnectTimeout = Settings.EventTimeout, WelcomeTimeout = Settings.EventTimeout, DropReplayedEvents = false }, Cancellation));
            _sockets.Add(socket);
            return socket;
        }
        catch (SocketConnectException ex) when (ex.Stage == TransportStage.Timeout && uri is null)
        {
            Missing(Capability.SocketOpens, Diagnoser.Diagnose(ex, Waiting));
            throw;
        }
    }

    /// <summary>Opens a socket as <paramref name="user"/> and requires the welcome first, matching the contract.</summary>
    public async Task<MeridianSocket> ConnectAsync(Identity user, TokenPlacement placement = TokenPlacement.Header, string path = "/ws", Uri? uri = null)
    {
        var socket = await OpenAsync(new SocketOptions { Token = user.Token, Placement = placement, Path = path }, uri);
        var clock = Stopwatch.StartNew();
        ServerFrame first;
        try
        {
            first = await Wait("the welcome frame", socket.ReceiveWelcomeAsync(Settings.EventTimeout, Cancellation));
        }
        catch (FrameTimeoutException ex) when (uri is null)
        {
            Missing(Capability.SocketOpens, Diagnoser.Diagnose(ex, Waiting));
            throw;
        }

        RequireWelcome(first, user);
        Note($"welcome {socket.Welcome!.ConnectionId} after {clock.Elapsed.TotalMilliseconds:0} ms");
        return socket;
    }

    /// <summary>Sends a frame with a fresh id and waits for the server's direct answer to it. A <c>RATE_LIMITED</c>
    /// answer is waited out and the frame sent again: the validator's own pace is not the deployment's fault.</summary>
    public async Task<ServerFrame> AskAsync(MeridianSocket socket, Dictionary<string, object?> frame, string waitingFor)
    {
        RequireCapabilities(Capability.SocketAnswers);
        while (true)
        {
            var id = NextId();
            frame["id"] = id;
            await socket.SendAsync(frame, Cancellation);
            var answer = await Wait(waitingFor, socket.WaitForReplyAsync(id, waitingFor, Settings.EventTimeout, Cancellation));
            if (answer is not ErrorFrame { ErrorCode: "RATE_LIMITED", RetryAfterMs: { } ms } || ms >= Settings.RunTimeout.TotalMilliseconds)
            {
                return answer;
            }

            Note($"rate limited; waited {ms} ms");
            await Task.Delay(TimeSpan.FromMilliseconds(ms + 50), Cancellation);
        }
    }

    /// <summary>Sends something that gets no reply by id (a frame that is not JSON, one too large, an auth frame)
    /// and waits, the event timeout at most, for the first frame that answers it. Not sent once the sockets were
    /// found not to answer.</summary>
    public async Task<ServerFrame> AnswerAsync(MeridianSocket socket, Func<Task> send, Func<ServerFrame, bool> answers, string waitingFor)
    {
        RequireCapabilities(Capability.SocketAnswers);
        await send();
        return await Wait(waitingFor, socket.WaitForAsync(answers, waitingFor, Settings.EventTimeout, Cancellation));
    }

    /// <summary>A ping must be answered with a pong carrying its id: the socket is alive past the welcome. A ping
    /// left unanswered shows the sockets do not answer: later requests on a socket fail at once.</summary>
    public async Task PingAsync(MeridianSocket socket)
    {
        ServerFrame pong;
        try
        {
            pong = await AskAsync(socket, new() { ["type"] = "ping" }, "pong");
        }
        catch (FrameTimeoutException ex)
        {
            Missing(Capability.SocketAnswers, Diagnoser.Diagnose(ex, Waiting));
            throw;
        }

        Require(pong.Type == "pong", DiagnosisKind.ContractViolation, $"a ping was answered with {pong}");
    }

    /// <summary>A frame that starts a run: <c>user_message</c> (or another alias) with the text in <c>content</c>.</summary>
    public static Dictionary<string, object?> Message(string text = Question, string? threadId = null, string? agent = null, string type = "user_message") =>
        new() { ["type"] = type, ["content"] = text, ["thread_id"] = threadId, ["agent"] = agent };

    /// <summary>Sends a frame that starts a run and returns its <c>run_accepted</c>; an error fails the check. A run
    /// is started to be followed to its end: once runs were found not to end, or their ends not to reach the socket,
    /// none is started.</summary>
    public async Task<RunAcceptedFrame> StartRunAsync(MeridianSocket socket, Dictionary<string, object?>? frame = null)
    {
        RequireCapabilities(Capability.RunsEnd, Capability.SocketDeliversRunEnd);
        frame ??= Message();
        var answer = await AskAsync(socket, frame, $"run_accepted for a {frame["type"]}");
        return answer as RunAcceptedFrame is { RunId: not null, ThreadId: not null } accepted
            ? accepted
            : throw new CheckFailedException(new Diagnosis(DiagnosisKind.ContractViolation,
                $"a {frame["type"]} was answered with {Diagnoser.Shorten(answer.ToString(), 200)} instead of run_accepted {{run_id, thread_id}}"));
    }

    /// <summary>Follows an accepted run to its terminal event (bounded by the run timeout).</summary>
    public async Task<RunTranscript> FollowAsync(MeridianSocket socket, RunAcceptedFrame accepted, string text, DateTimeOffset sentAt)
    {
        var events = await FollowRunsAsync(socket, [accepted.RunId!]);
        return new RunTranscript(text, sentAt, accepted, events[accepted.RunId!]);
    }

    /// <summary>Follows the module user's runs on the socket to their terminal events (within
    /// <paramref name="timeout"/>, the run timeout by default), watching over REST whether they ended on the server;
    /// a failure says which it was. Unless <paramref name="shared"/> is off (a socket whose delivery is the check's
    /// own subject: a reconnected or second socket), what it shows missing fails the later checks that need it.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RunEvent>>> FollowRunsAsync(
        MeridianSocket socket, IReadOnlyCollection<string> runIds, TimeSpan? timeout = null, bool shared = true)
    {
        RequireCapabilities(Capability.RunsEnd, Capability.SocketDeliversRunEnd);
        var follower = new RunFollower(Settings, await UserAsync(), socket, shared ? Missing : null, Cancellation);
        return await Wait($"the terminal event of {string.Join(", ", runIds)}", follower.FollowAsync(runIds, timeout ?? Settings.RunTimeout));
    }

    /// <summary>Fails at once, with the diagnosis of the check that found it, when a capability the caller needs was
    /// found missing earlier in the validation (docs/cli.md#21-shared-verdicts).</summary>
    public void RequireCapabilities(params Capability[] capabilities) => _session.Verdicts.Require(capabilities);

    /// <summary>Records that this check found a capability missing, for the checks after it.</summary>
    private void Missing(Capability capability, Diagnosis diagnosis) => _session.Verdicts.Missing(capability, Check.Id, diagnosis);

    /// <summary>Starts a run on the socket and follows it to its end; the events must keep the run contract.</summary>
    public async Task<RunTranscript> RunAsync(MeridianSocket socket, Dictionary<string, object?>? frame = null)
    {
        frame ??= Message();
        var sentAt = DateTimeOffset.UtcNow;
        var accepted = await StartRunAsync(socket, frame);
        var run = await FollowAsync(socket, accepted, frame.GetValueOrDefault("content") as string ?? "", sentAt);
        Note(run.Summary);
        RequireContract(run);
        return run;
    }

    /// <summary>The module user's reference run: one completed run that the lifecycle, streaming and ordering checks
    /// read. It runs on a socket of its own, bounded by the run timeout.</summary>
    public async Task<RunTranscript> ReferenceRunAsync()
    {
        var user = await UserAsync();
        var run = await Wait("the reference run", _session.ReferenceRunAsync(user, async () =>
        {
            await using var context = new CheckContext(_session, Check, _session.Cancellation);
            var socket = await context.ConnectAsync(user);
            var sentAt = DateTimeOffset.UtcNow;
            var accepted = await context.StartRunAsync(socket, Message());
            return await context.FollowAsync(socket, accepted, Question, sentAt);
        }));
        Note($"reference run {run.Summary}");
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_sockets.Select(s => s.DisposeAsync().AsTask()));
        _sockets.Clear();
    }

    private async Task<T> Wait<T>(string what, Task<T> task)
    {
        var previous = Waiting;
        Waiting = what;
        var result = await task;
        Waiting = previous;
        return result;
    }
}
