namespace Meridian.Server.Http;

/// <summary>Text cut to fit where a user reads it (a thread title, an error message that echoes input, a run
/// preview): at most <c>max</c> characters, the cut marked with "…".</summary>
public static class Excerpt
{
    public static string Of(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "…";
}
