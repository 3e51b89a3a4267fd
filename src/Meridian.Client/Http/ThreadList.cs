namespace Meridian.Client.Http;

public sealed record ThreadList(IReadOnlyList<ThreadInfo> Threads, int Total, int Limit, int Offset);
