using System.Buffers.Text;

namespace Meridian.Bench.WsFanout;

/// <summary>The mark the producer writes into each event's text: its index and the <c>Stopwatch</c> timestamp when
/// it was produced, fixed-width so the baseline can overwrite it in place in a copy of Meridian's frame.</summary>
internal static class FanoutMarker
{
    public static string Write(long index, long timestamp) => $"@i={index:D10};t={timestamp:D19}@";

    /// <summary>Finds the marker of <see cref="Write"/> in a frame.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out long index, out long timestamp)
    {
        index = timestamp = 0;
        var at = frame.IndexOf("@i="u8);
        return at >= 0 && frame.Length >= at + 36
            && Utf8Parser.TryParse(frame.Slice(at + 3, 10), out index, out _)
            && Utf8Parser.TryParse(frame.Slice(at + 16, 19), out timestamp, out _);
    }
}
