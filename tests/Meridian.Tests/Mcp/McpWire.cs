using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Mcp;

/// <summary>Raw JSON-RPC over <c>/mcp</c> as the SDK serves it: one message per POST, the answer framed as
/// server-sent events (<c>event: message</c>, <c>data: {…}</c>) or, for refusals, a problem body.</summary>
internal static class McpWire
{
    /// <summary>POSTs <paramref name="json"/> with a Bearer token (when given) and the Accept header MCP clients send.</summary>
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(ServerHarness server, string json, string? token, string? accept = "application/json, text/event-stream")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(Message(response, text)).RootElement.Clone());
    }

    /// <summary>The JSON of the answer: the first event's data lines when it is an event stream, else the body.</summary>
    private static string Message(HttpResponseMessage response, string text) =>
        response.Content.Headers.ContentType?.MediaType != "text/event-stream"
            ? text
            : string.Join("\n", text.Split('\n').SkipWhile(l => !l.StartsWith("data:", StringComparison.Ordinal))
                .TakeWhile(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].TrimStart()));
}
