namespace Meridian.Validation.Checks;

/// <summary>What went wrong, in the terms an operator acts on. Each kind has a stable id used in the JSON and
/// JUnit reports.</summary>
public enum DiagnosisKind
{
    DnsFailure,
    TcpFailure,
    TlsFailure,
    ConnectTimeout,
    ResponseTimeout,
    HandshakeFailure,
    UpgradeRejected,
    Redirect,
    HttpStatus,
    SubprotocolNegotiation,
    SocketClosed,
    WelcomeMismatch,
    EventTimeout,
    OrderViolation,
    PairingViolation,
    SeqViolation,
    WrongUser,
    LatencyAboveThreshold,
    RunFailed,
    ContractViolation,
    CheckTimeout,
    Skipped,
    UnexpectedError,
}
