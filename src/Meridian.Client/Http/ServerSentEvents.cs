using System.Runtime.CompilerServices;

namespace Meridian.Client.Http;

/// <summary>Reads a <c>text/event-stream</c> body (comments and unknown fields ignored, as the format says).</summary>
public static class ServerSentEvents
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        string? id = null, type = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return new ServerSentEvent(id, type, string.Join('\n', data));
                }

                type = null;
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }

        if (data.Count > 0)
        {
            yield return new ServerSentEvent(id, type, string.Join('\n', data));
        }
    }
}
