namespace Meridian.Server.Errors;

/// <summary>The <c>error_code</c> values of HTTP problem bodies and WebSocket error frames.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "BAD_REQUEST";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string RequestTimeout = "REQUEST_TIMEOUT";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UriTooLong = "URI_TOO_LONG";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string RateLimited = "RATE_LIMITED";
    public const string HeadersTooLarge = "HEADERS_TOO_LARGE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string Starting = "SERVICE_STARTING";
    public const string Draining = "SERVICE_DRAINING";

    /// <summary>The code used when a handler gives a status without a more specific code.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        408 => RequestTimeout,
        409 => Conflict,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        422 => ValidationFailed,
        429 => RateLimited,
        431 => HeadersTooLarge,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => "HTTP_" + status,
    };
}
