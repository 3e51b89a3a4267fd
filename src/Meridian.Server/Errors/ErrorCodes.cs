using System.Reflection;

namespace Meridian.Server.Errors;

/// <summary>Every <c>error_code</c> the server answers with — in HTTP problem bodies, WebSocket <c>error</c> frames and
/// <c>agent_failed</c> events — with its HTTP status and its meaning on a socket. docs/errors.md lists the same
/// table; a test keeps the two equal.</summary>
public static class ErrorCodes
{
    private const string Frame = "error frame; the socket stays open";

    // Generic: the code of a status when a route names nothing more specific (docs/http-api.md).
    public static readonly ErrorCode BadRequest = new("BAD_REQUEST", 400, null, "The request could not be read.");
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", 401, null, "Authentication is required.");
    public static readonly ErrorCode Forbidden = new("FORBIDDEN", 403, null, "The route needs something the user lacks.");
    public static readonly ErrorCode NotFound = new("NOT_FOUND", 404, null, "No such resource (or not the user's).");
    public static readonly ErrorCode MethodNotAllowed = new("METHOD_NOT_ALLOWED", 405, null, "The route does not take this method.");
    public static readonly ErrorCode NotAcceptable = new("NOT_ACCEPTABLE", 406, null, "The Accept header names no media type the route answers with.");
    public static readonly ErrorCode RequestTimeout = new("REQUEST_TIMEOUT", 408, null, "The request body came too slowly.");
    public static readonly ErrorCode Conflict = new("CONFLICT", 409, null, "The resource is in a state that refuses this.");
    public static readonly ErrorCode PayloadTooLarge = new("PAYLOAD_TOO_LARGE", 413, null, "The body is larger than the route accepts.");
    public static readonly ErrorCode UriTooLong = new("URI_TOO_LONG", 414, null, "The request target is too long.");
    public static readonly ErrorCode UnsupportedMediaType = new("UNSUPPORTED_MEDIA_TYPE", 415, null, "The body's content type is not accepted.");
    public static readonly ErrorCode ValidationFailed = new("VALIDATION_FAILED", 422, null, "One or more fields are invalid; `errors` names them.");
    public static readonly ErrorCode RateLimited = new("RATE_LIMITED", 429, "error frame with retry_after_ms; the socket stays open", "Too many requests; retry after the time given.");
    public static readonly ErrorCode HeadersTooLarge = new("HEADERS_TOO_LARGE", 431, null, "The request headers are too large.");
    public static readonly ErrorCode InternalError = new("INTERNAL_ERROR", 500, "error frame; after a fault outside one frame, close 1011", "A fault the server did not anticipate; it is logged.");
    public static readonly ErrorCode HttpVersionNotSupported = new("HTTP_VERSION_NOT_SUPPORTED", 505, null, "The request names an HTTP version the server does not speak.");
    public static readonly ErrorCode ServiceUnavailable = new("SERVICE_UNAVAILABLE", 503, null, "The service cannot answer now.");
    public static readonly ErrorCode Starting = new("SERVICE_STARTING", 503, null, "The node is starting; retry after Retry-After.");
    public static readonly ErrorCode Draining = new("SERVICE_DRAINING", 503, Frame + "; the message started nothing, reconnect (to another node)", "The node is shutting down.");

    // Authentication (docs/auth.md).
    public static readonly ErrorCode AuthRequired = new("AUTH_REQUIRED", 401, "answer to any frame before a valid auth; close 1008 after the auth timeout", "No credentials were sent.");
    public static readonly ErrorCode InvalidToken = new("INVALID_TOKEN", 401, "answer to an auth frame with a bad token", "The token is malformed, tampered, revoked or from another issuer.");
    public static readonly ErrorCode TokenExpired = new("TOKEN_EXPIRED", 401, "the socket's token expired: send a fresh auth within the grace period, else close 1008", "The token has expired.");
    public static readonly ErrorCode TokenRevoked = new("TOKEN_REVOKED", null, "the socket's token or session was revoked; close 1008 follows", "A credential that was good when the socket connected was revoked.");
    public static readonly ErrorCode AccountDisabled = new("ACCOUNT_DISABLED", 403, "the account was disabled; close 1008 follows", "The account is disabled.");
    public static readonly ErrorCode InvalidCredentials = new("INVALID_CREDENTIALS", 401, null, "Email or password is incorrect.");
    public static readonly ErrorCode EmailTaken = new("EMAIL_TAKEN", 409, null, "An account with this email exists.");
    public static readonly ErrorCode InvalidServiceKey = new("INVALID_SERVICE_KEY", 401, null, "A valid X-Service-Key header is required.");
    public static readonly ErrorCode InvalidIngestKey = new("INVALID_INGEST_KEY", 401, null, "A valid ingest key is required: `Authorization: Bearer mik_…` (revoked keys and keys of disabled accounts are refused).");
    public static readonly ErrorCode InvalidBypassKey = new("INVALID_BYPASS_KEY", 401, null, "A valid X-E2E-Bypass-Key header is required.");
    public static readonly ErrorCode PermissionDenied = new("PERMISSION_DENIED", 403, "answer to an auth frame whose token lacks the chat permission", "The account lacks the 'chat' permission.");

    // The WebSocket gateway (docs/protocol.md).
    public static readonly ErrorCode UpgradeRequired = new("UPGRADE_REQUIRED", 426, null, "/ws was requested without a WebSocket upgrade.");
    public static readonly ErrorCode OriginNotAllowed = new("ORIGIN_NOT_ALLOWED", 403, null, "The handshake's Origin may not open the socket.");
    public static readonly ErrorCode IdentityMismatch = new("IDENTITY_MISMATCH", null, Frame + "; it keeps its identity", "An auth frame named another user than the socket's.");
    public static readonly ErrorCode FormatError = new("FORMAT_ERROR", null, Frame, "The frame is not a JSON object of valid Unicode text.");
    public static readonly ErrorCode InvalidMessage = new("INVALID_MESSAGE", null, Frame, "The frame lacks a field its type needs.");
    public static readonly ErrorCode UnknownMessageType = new("UNKNOWN_MESSAGE_TYPE", null, Frame, "The frame's type is not one the server knows.");
    public static readonly ErrorCode MessageTooLarge = new("MESSAGE_TOO_LARGE", null, Frame + "; above the hard cap, close 1009", "The frame is larger than the gateway accepts.");
    public static readonly ErrorCode NoActiveRun = new("NO_ACTIVE_RUN", null, Frame, "stop_agent found no active run of the user's to stop.");
    public static readonly ErrorCode RunNotFound = new("RUN_NOT_FOUND", null, Frame, "resume named a run that is not the user's.");
    public static readonly ErrorCode ResumeFailed = new("RESUME_FAILED", null, Frame + "; send resume again", "The run's stored events could not be read.");
    public static readonly ErrorCode ThreadNotFound = new("THREAD_NOT_FOUND", null, Frame, "switch_thread named no thread.");

    // Starting and running a run (docs/runs.md).
    public static readonly ErrorCode ThreadAccessDenied = new("THREAD_ACCESS_DENIED", 403, Frame, "The thread belongs to another user.");
    public static readonly ErrorCode InvalidThreadId = new("INVALID_THREAD_ID", 422, Frame, "thread_id is not a string of 1–128 letters, digits, '_' or '-'.");
    public static readonly ErrorCode EmptyMessage = new("EMPTY_MESSAGE", 422, Frame, "The message has no text.");
    public static readonly ErrorCode MessageTooLong = new("MESSAGE_TOO_LONG", 422, Frame, "The message is longer than Runs:MaxInputLength.");
    public static readonly ErrorCode UnknownAgent = new("UNKNOWN_AGENT", 404, Frame, "No agent has that name.");
    public static readonly ErrorCode RunNotActive = new("RUN_NOT_ACTIVE", 409, null, "The run already ended and cannot be cancelled.");
    public static readonly ErrorCode RunTimeout = new("RUN_TIMEOUT", null, "agent_failed event", "The run did not finish within Runs:RunTimeoutSeconds.");
    public static readonly ErrorCode PipelineError = new("PIPELINE_ERROR", null, "agent_failed event", "An unexpected fault ended the run; it is logged.");
    public static readonly ErrorCode ServerShutdown = new("SERVER_SHUTDOWN", null, "agent_failed event (recoverable)", "The node shut down before the run finished.");
    public static readonly ErrorCode RunInterrupted = new("RUN_INTERRUPTED", null, "agent_failed event (recoverable)", "The node stopped while the run was under way.");

    /// <summary>The whole catalogue, in declaration order.</summary>
    public static IReadOnlyList<ErrorCode> All { get; } = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorCode))
        .Select(f => (ErrorCode)f.GetValue(null)!)
        .ToArray();

    /// <summary>The code used when a handler gives a status without a more specific code: the first of the catalogue
    /// with that status (the generic ones come first).</summary>
    public static ErrorCode ForStatus(int status) =>
        All.FirstOrDefault(c => c.HttpStatus == status)
        ?? (status >= 500 ? InternalError : new ErrorCode("HTTP_" + status, status, null, "An HTTP status without a code of its own."));
}
