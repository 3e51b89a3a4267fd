namespace Meridian.Server.Threads;

/// <summary>Client-chosen thread ids are accepted when they are short and plain.</summary>
public static class ThreadIds
{
    public static bool IsValid(string id) =>
        id.Length is >= 1 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
