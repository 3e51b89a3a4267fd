namespace Meridian.Client.Http;

/// <summary>The server answered, but not with what the call needed (a non-2xx status, or a body that does not
/// read as the expected type). <see cref="Response"/> holds the whole answer.</summary>
public sealed class MeridianApiException : Exception
{
    public MeridianApiException(ApiResponse response, string? message = null)
        : base(message ?? response.Describe()) => Response = response;

    public ApiResponse Response { get; }

    public int Status => Response.Status;

    public string? ErrorCode => Response.ErrorCode;
}
