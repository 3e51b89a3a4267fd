namespace Meridian.Validation.Checks;

/// <summary>A failing (or skipped) check's diagnosis: its kind, one line saying what happened, and the evidence
/// (status lines, headers, frames, a diff).</summary>
public sealed record Diagnosis(DiagnosisKind Kind, string Summary, IReadOnlyList<string> Evidence)
{
    public Diagnosis(DiagnosisKind kind, string summary, params string[] evidence)
        : this(kind, summary, (IReadOnlyList<string>)evidence)
    {
    }

    public string Id => Ids[Kind];

    /// <summary>The check whose failure this one shares (a capability it found missing), or null when the check saw
    /// the failure itself.</summary>
    public string? DependsOn { get; init; }

    public string Title => Titles[Kind];

    public override string ToString() => $"{Title}: {Summary}";

    private static readonly Dictionary<DiagnosisKind, string> Ids = Enum.GetValues<DiagnosisKind>().ToDictionary(
        k => k, k => string.Concat(k.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));

    private static readonly Dictionary<DiagnosisKind, string> Titles = new()
    {
        [DiagnosisKind.DnsFailure] = "DNS failure",
        [DiagnosisKind.TcpFailure] = "TCP connection failure",
        [DiagnosisKind.TlsFailure] = "TLS failure",
        [DiagnosisKind.ConnectTimeout] = "no answer (connect timeout)",
        [DiagnosisKind.ResponseTimeout] = "no HTTP answer in time",
        [DiagnosisKind.HandshakeFailure] = "WebSocket handshake failure",
        [DiagnosisKind.UpgradeRejected] = "HTTP status on the WebSocket upgrade",
        [DiagnosisKind.Redirect] = "redirect on a health or API route",
        [DiagnosisKind.HttpStatus] = "unexpected HTTP status",
        [DiagnosisKind.SubprotocolNegotiation] = "subprotocol negotiation error",
        [DiagnosisKind.SocketClosed] = "socket closed after connect",
        [DiagnosisKind.WelcomeMismatch] = "welcome frame missing or not matching the contract",
        [DiagnosisKind.EventTimeout] = "timeout waiting for an event",
        [DiagnosisKind.OrderViolation] = "event order violation",
        [DiagnosisKind.PairingViolation] = "event pairing violation",
        [DiagnosisKind.SeqViolation] = "seq violation",
        [DiagnosisKind.WrongUser] = "event delivered to the wrong user",
        [DiagnosisKind.LatencyAboveThreshold] = "latency above threshold",
        [DiagnosisKind.RunFailed] = "run failed",
        [DiagnosisKind.ContractViolation] = "answer not matching the contract",
        [DiagnosisKind.CheckTimeout] = "check timed out",
        [DiagnosisKind.Skipped] = "skipped",
        [DiagnosisKind.UnexpectedError] = "unexpected error in the check",
    };
}
