namespace Meridian.Client.Socket;

/// <summary>The socket could not be opened. <see cref="Status"/> and <see cref="Headers"/> are those of the
/// upgrade answer when there was one.</summary>
public sealed class SocketConnectException(
    Uri uri, TransportStage stage, string message, int? status = null,
    IReadOnlyDictionary<string, string>? headers = null, Exception? inner = null)
    : Exception(message, inner)
{
    public Uri Uri { get; } = uri;

    public TransportStage Stage { get; } = stage;

    public int? Status { get; } = status;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();
}
