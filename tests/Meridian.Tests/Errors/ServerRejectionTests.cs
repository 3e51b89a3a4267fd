using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Errors;

/// <summary>Requests Kestrel refuses before any middleware sees them (a malformed request line, <c>%00</c> in the
/// path, headers over the size limit) still get a complete problem answer, over a raw socket as a probe sends them.</summary>
public sealed class ServerRejectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, int, string> Rejected => new()
    {
        { "nul in the path", "GET /api/threads/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "BAD_REQUEST" },
        { "malformed request line", "GET  /health HTTP/1.1 extra\r\nHost: localhost\r\n\r\n", 400, "BAD_REQUEST" },
        { "header without a colon", "GET /health HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n", 400, "BAD_REQUEST" },
        { "100 KB Authorization header", $"GET /api/threads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {new string('a', 100_000)}\r\n\r\n", 431, "HEADERS_TOO_LARGE" },
        { "after a good request on the same connection", "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/nothing HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\nGET /api/threads/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "BAD_REQUEST" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task A_request_kestrel_refuses_gets_a_complete_problem(string name, string request, int status, string code)
    {
        await using var server = await TestServer.StartAsync();

        var answers = await ExchangeAsync(server, request);

        var (head, body) = answers[^1];
        head.ShouldStartWith($"HTTP/1.1 {status} ", customMessage: name);
        var headers = Headers(head);
        headers["Content-Type"].ShouldBe("application/problem+json", name);
        headers["X-Content-Type-Options"].ShouldBe("nosniff", name);
        headers["X-Frame-Options"].ShouldBe("DENY", name);
        headers.ShouldContainKey("Content-Security-Policy", name);
        headers.ShouldContainKey("Referrer-Policy", name);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(status, name);
        problem.GetProperty("error_code").GetString().ShouldBe(code, name);
        problem.GetProperty("request_id").GetString().ShouldBe(headers["X-Request-Id"], name);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty(name);
        foreach (var (earlier, _) in answers[..^1])
        {
            Headers(earlier).ShouldContainKey("X-Request-Id", $"{name}: the answers before it are untouched");
        }
    }

    [Fact]
    public async Task A_body_that_looks_like_a_rejection_passes_unchanged_on_a_connection_that_goes_on()
    {
        const string lookalike = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await using var server = await TestServer.StartAsync(endpoints: app => app.MapGet("/api/test/lookalike", async (HttpContext http) =>
        {
            http.Response.ContentLength = lookalike.Length;
            await http.Response.StartAsync();
            await http.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(lookalike));
        }));

        var answers = await ExchangeAsync(server, "GET /api/test/lookalike HTTP/1.1\r\nHost: localhost\r\n\r\nGET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        answers.Count.ShouldBe(2);
        answers[0].Body.ShouldBe(lookalike);
        answers[1].Head.ShouldStartWith("HTTP/1.1 200 ");
    }

    /// <summary>Sends raw bytes and reads every answer until the server closes the connection.</summary>
    private static async Task<List<(string Head, string Body)>> ExchangeAsync(TestServer server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var raw = new MemoryStream();
        await stream.CopyToAsync(raw, timeout.Token);
        var text = Encoding.UTF8.GetString(raw.ToArray());

        var answers = new List<(string, string)>();
        while (text.Length > 0)
        {
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            end.ShouldBeGreaterThan(0, text);
            var head = text[..end];
            var headers = Headers(head);
            string body;
            if (headers.TryGetValue("Content-Length", out var length))
            {
                body = text.Substring(end + 4, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture));
                text = text[(end + 4 + body.Length)..];
            }
            else
            {
                (body, text) = Dechunk(text[(end + 4)..]);
            }

            answers.Add((head, body));
        }

        return answers;
    }

    private static (string Body, string Remainder) Dechunk(string text)
    {
        var body = new StringBuilder();
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(text[..lineEnd], 16);
            text = text[(lineEnd + 2)..];
            if (size == 0)
            {
                return (body.ToString(), text[2..]);
            }

            body.Append(text.AsSpan(0, size));
            text = text[(size + 2)..];
        }
    }

    private static Dictionary<string, string> Headers(string head) =>
        head.Split("\r\n").Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
}
