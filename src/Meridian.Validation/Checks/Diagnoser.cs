using Meridian.Client.Events;
using Meridian.Client.Http;
using Meridian.Client.Socket;

namespace Meridian.Validation.Checks;

/// <summary>Turns whatever a check threw into a diagnosis with evidence: transport failures by stage, HTTP answers
/// by status, socket closes by code, waits by what they waited for and the last frames seen.</summary>
public static class Diagnoser
{
    public static Diagnosis Diagnose(Exception exception, string? waitingFor) => exception switch
    {
        CheckFailedException failed => failed.Diagnosis,
        CheckSkippedException skipped => new Diagnosis(DiagnosisKind.Skipped, skipped.Message),
        SocketConnectException connect => Connect(connect),
        SocketClosedException closed => new Diagnosis(DiagnosisKind.SocketClosed, closed.Message, Frames(closed.LastFrames)),
        FrameTimeoutException timeout => new Diagnosis(DiagnosisKind.EventTimeout, timeout.Message,
            [.. Frames(timeout.LastFrames), timeout.LastFrames.Count == 0 ? "no frames were received" : $"last {timeout.LastFrames.Count} frame(s) above"]),
        MeridianApiException api => Http(api.Response),
        _ when TransportFailure.Classify(exception) is { } stage => Transport(stage, exception, waitingFor),
        _ => new Diagnosis(DiagnosisKind.UnexpectedError, $"{exception.GetType().Name}: {exception.Message}", waitingFor is null ? [] : [$"while waiting for {waitingFor}"]),
    };

    /// <summary>The diagnosis of an HTTP answer that was not the one expected.</summary>
    public static Diagnosis Http(ApiResponse response) =>
        response.IsRedirect
            ? new Diagnosis(DiagnosisKind.Redirect, response.Describe(), Evidence(response))
            : new Diagnosis(DiagnosisKind.HttpStatus, response.Describe(), Evidence(response));

    public static IReadOnlyList<string> Evidence(ApiResponse response)
    {
        var lines = new List<string> { $"HTTP {response.Status} in {response.Elapsed.TotalMilliseconds:0} ms" };
        foreach (var name in new[] { "Location", "Content-Type", "Retry-After", "WWW-Authenticate", "X-Request-Id" })
        {
            if (response.Header(name) is { } value)
            {
                lines.Add($"{name}: {value}");
            }
        }

        if (response.Body.Length > 0)
        {
            lines.Add("body: " + Shorten(response.Body));
        }

        return lines;
    }

    public static string[] Frames(IEnumerable<ServerFrame> frames) => frames.Select(f => "frame: " + Shorten(f.ToString())).ToArray();

    public static string Shorten(string text, int limit = 400) => text.Length <= limit ? text : text[..(limit - 3)] + "...";

    private static Diagnosis Connect(SocketConnectException e)
    {
        var evidence = new List<string> { $"GET {e.Uri}" };
        evidence.AddRange(e.Headers.Select(h => $"{h.Key}: {h.Value}"));
        return e.Stage switch
        {
            TransportStage.Upgrade => new Diagnosis(DiagnosisKind.UpgradeRejected, $"HTTP {e.Status} on the WebSocket upgrade ({UpgradeMeaning(e.Status)})", evidence),
            TransportStage.Subprotocol => new Diagnosis(DiagnosisKind.SubprotocolNegotiation, e.Message, evidence),
            _ => Transport(e.Stage, e, null, evidence),
        };
    }

    private static string UpgradeMeaning(int? status) => status switch
    {
        401 => "the token was refused",
        403 => "the connection was forbidden: permissions, origin, or a proxy in front",
        404 => "no WebSocket endpoint at this path",
        426 => "the upgrade headers did not arrive: a proxy drops Upgrade/Connection",
        >= 300 and < 400 => "redirected",
        503 => "the node is starting or draining",
        >= 500 => "a server or proxy fault",
        _ => "not 101 Switching Protocols",
    };

    private static Diagnosis Transport(TransportStage stage, Exception e, string? waitingFor, IReadOnlyList<string>? evidence = null)
    {
        var lines = new List<string>(evidence ?? []);
        if (waitingFor is not null)
        {
            lines.Add($"while waiting for {waitingFor}");
        }

        var message = e is SocketConnectException ? e.Message : TransportFailure.RootMessage(e);
        return stage switch
        {
            TransportStage.Dns => new Diagnosis(DiagnosisKind.DnsFailure, message, lines),
            TransportStage.Tcp => new Diagnosis(DiagnosisKind.TcpFailure, message, lines),
            TransportStage.Tls => new Diagnosis(DiagnosisKind.TlsFailure, message, lines),
            TransportStage.Timeout when e is SocketConnectException => new Diagnosis(DiagnosisKind.ConnectTimeout, message, lines),
            TransportStage.Timeout => new Diagnosis(DiagnosisKind.ResponseTimeout, $"no answer in time to {waitingFor ?? "a request"}", lines),
            _ => new Diagnosis(DiagnosisKind.HandshakeFailure, message, lines),
        };
    }
}
