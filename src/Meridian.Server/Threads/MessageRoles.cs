using Meridian.Server.Storage;

namespace Meridian.Server.Threads;

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}
