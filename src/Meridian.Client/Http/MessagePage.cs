namespace Meridian.Client.Http;

public sealed record MessagePage(IReadOnlyList<MessageInfo> Messages, string ThreadId, int Total, int Limit, int Offset);
