namespace Meridian.Server.Storage;

/// <summary>Identifiers such as <c>thread_0193…</c>: a type prefix and a time-ordered UUIDv7, opaque to clients.</summary>
public static class Ids
{
    public static string New(string prefix) => prefix + "_" + Guid.CreateVersion7().ToString("N");
}
