using System.Text.Json;

namespace Meridian.Bench.Cluster;

/// <summary>The <c>type</c> of a server frame, read without building a document (the throughput clients read
/// every event of every run and only need to know where a run ends).</summary>
internal static class FrameType
{
    public static readonly string[] Terminal = ["agent_completed", "agent_failed", "agent_stopped"];

    public static string? Of(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
