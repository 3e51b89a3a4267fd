using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Http;

/// <summary>Requests Kestrel refuses before any middleware runs still get a complete problem answer, and the bytes of
/// ordinary answers on the same connection pass untouched (docs/http-api.md#1-conventions).</summary>
public sealed class KestrelRejectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, int, string> Unreadable => new()
    {
        { "an encoded NUL in the path", "GET /api/threads/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "BAD_REQUEST" },
        { "a request line that is not HTTP", "GARBAGE\r\n\r\n", 400, "BAD_REQUEST" },
        { "a header line without a colon", "GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400, "BAD_REQUEST" },
        { "a request line over 8 KiB", $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n", 414, "URI_TOO_LONG" },
        { "more than 100 headers", "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: 1\r\n")) + "\r\n", 431, "HEADERS_TOO_LARGE" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_request_Kestrel_cannot_read_gets_a_complete_problem(string what, string request, int status, string code)
    {
        await using var server = await ServerHarness.StartAsync();

        var answers = await ExchangeAsync(server.BaseAddress, request);

        answers.Count.ShouldBe(1, what);
        await answers[0].ShouldBeCompleteProblemAsync(status, code, what);
        answers[0].Headers.ConnectionClose.ShouldBe(true, what);
    }

    [Fact]
    public async Task An_unknown_HTTP_version_is_a_505_problem()
    {
        await using var server = await ServerHarness.StartAsync();

        var answer = (await ExchangeAsync(server.BaseAddress, "GET /health HTTP/2.5\r\nHost: x\r\n\r\n")).Single();

        answer.StatusCode.ShouldBe(HttpStatusCode.HttpVersionNotSupported);
        answer.ShouldCarryStandardHeaders();
        (await answer.Content.ReadAsStringAsync(Ct)).ShouldContain("\"error_code\":\"HTTP_VERSION_NOT_SUPPORTED\"");
    }

    [Fact]
    public async Task Ordinary_answers_before_a_refusal_on_one_connection_arrive_byte_for_byte()
    {
        await using var server = await ServerHarness.StartAsync();

        // A chunked answer (health), a problem (404), then a request Kestrel refuses, pipelined on one connection.
        var answers = await ExchangeAsync(server.BaseAddress,
            "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n");

        answers.Count.ShouldBe(3);
        answers[0].StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answers[0].Content.ReadAsStringAsync(Ct)).ShouldContain("\"status\":\"healthy\"");
        await answers[1].ShouldBeCompleteProblemAsync(404, "NOT_FOUND");
        await answers[2].ShouldBeCompleteProblemAsync(400, "BAD_REQUEST");
    }

    /// <summary>Sends raw bytes on a fresh connection and reads answers until the server closes it.</summary>
    private static async Task<List<HttpResponseMessage>> ExchangeAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);
        using var all = new MemoryStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(all, timeout.Token);
        return Parse(all.ToArray());
    }

    private static List<HttpResponseMessage> Parse(byte[] bytes)
    {
        var answers = new List<HttpResponseMessage>();
        var at = 0;
        while (at < bytes.Length)
        {
            var headEnd = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8) + at;
            var lines = Encoding.Latin1.GetString(bytes, at, headEnd - at).Split("\r\n");
            var answer = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1]));
            var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).ToList();
            at = headEnd + 4;
            var body = new MemoryStream();
            if (headers.Any(h => h[0] == "Transfer-Encoding"))
            {
                for (var size = NextChunk(bytes, ref at); size > 0; size = NextChunk(bytes, ref at))
                {
                    body.Write(bytes, at, size);
                    at += size + 2;
                }

                at += 2;
            }
            else
            {
                var length = int.Parse(headers.Single(h => h[0] == "Content-Length")[1]);
                body.Write(bytes, at, length);
                at += length;
            }

            answer.Content = new ByteArrayContent(body.ToArray());
            foreach (var header in headers.Where(h => h[0] is not ("Transfer-Encoding" or "Content-Length")))
            {
                if (!answer.Headers.TryAddWithoutValidation(header[0], header[1]))
                {
                    answer.Content.Headers.TryAddWithoutValidation(header[0], header[1]);
                }
            }

            answers.Add(answer);
        }

        return answers;
    }

    private static int NextChunk(byte[] bytes, ref int at)
    {
        var end = bytes.AsSpan(at).IndexOf("\r\n"u8) + at;
        var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, at, end - at), 16);
        at = end + 2;
        return size;
    }
}
