using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Testing.Llm;

/// <summary>A real HTTP server on 127.0.0.1 that speaks a provider's protocol and answers by script: the queued
/// replies in order, then <see cref="Otherwise"/>. It records every request it got.</summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script;
    private readonly CancellationTokenSource _stopping = new();

    private FakeProvider(WebApplication app, Wire wire, IEnumerable<Reply> script)
    {
        _app = app;
        Wire = wire;
        _script = new ConcurrentQueue<Reply>(script);
    }

    public Wire Wire { get; }

    public Reply Otherwise { get; set; } = new Answer(["Hello", " from", " the fake."]);

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>What <c>Llm:BaseUrl</c> is set to for this server.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeProvider> StartAsync(Wire wire, params Reply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeProvider(app, wire, script);
        app.MapPost(wire == Wire.OpenAi ? "/v1/chat/completions" : "/v1/messages", fake.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = wire == Wire.OpenAi ? address + "/v1" : address;
        return fake;
    }

    /// <summary>A server that answers every request with <paramref name="reply"/>.</summary>
    public static async Task<FakeProvider> AlwaysAsync(Wire wire, Reply reply)
    {
        var fake = await StartAsync(wire);
        fake.Otherwise = reply;
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var request = new ReceivedRequest(
            DateTime.UtcNow,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body.RootElement.Clone());
        Requests.Enqueue(request);
        var reply = _script.TryDequeue(out var next) ? next : Otherwise;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await ReplyAsync(context, reply, request.Streaming, gone.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (a timeout or a cancellation): that is what a hang is for.
        }
    }

    private async Task ReplyAsync(HttpContext context, Reply reply, bool stream, CancellationToken cancellationToken)
    {
        var response = context.Response;
        switch (reply)
        {
            case Fail fail:
                response.StatusCode = fail.Status;
                if (fail.RetryAfter is not null)
                {
                    response.Headers.RetryAfter = fail.RetryAfter;
                }

                await response.WriteAsJsonAsync(Wire == Wire.OpenAi
                    ? new { error = new { message = fail.Message, type = "server_error" } } as object
                    : new { type = "error", error = new { type = "api_error", message = fail.Message } }, cancellationToken);
                return;
            case Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;
            case Garbage garbage when stream:
                await StartEventsAsync(response, cancellationToken);
                await response.WriteAsync($"event: content_block_delta\ndata: {garbage.Body}\n\n", cancellationToken);
                return;
            case Garbage garbage:
                response.ContentType = "application/json";
                await response.WriteAsync(garbage.Body, cancellationToken);
                return;
            case StallAfter stall:
                if (stream)
                {
                    await StartEventsAsync(response, cancellationToken);
                    foreach (var e in Wire == Wire.OpenAi ? FakeWire.OpenAiStart(stall.Piece) : FakeWire.AnthropicStart(stall.Piece))
                    {
                        await WriteEventAsync(response, e, cancellationToken);
                    }
                }
                else
                {
                    response.ContentType = "application/json";
                    await response.WriteAsync("{\"id\":", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;
            case Held held when stream:
                await StartEventsAsync(response, cancellationToken);
                var preamble = Wire == Wire.OpenAi ? FakeWire.OpenAiPreamble : FakeWire.AnthropicPreamble;
                var index = 0;
                foreach (var e in Wire == Wire.OpenAi ? FakeWire.OpenAiStream(held.Answer) : FakeWire.AnthropicStream(held.Answer))
                {
                    if (index++ == preamble + held.PiecesBefore)
                    {
                        await held.Release.WaitAsync(cancellationToken);
                    }

                    await WriteEventAsync(response, e, cancellationToken);
                }

                return;
            case Answer answer when stream:
                await StartEventsAsync(response, cancellationToken);
                foreach (var e in Wire == Wire.OpenAi ? FakeWire.OpenAiStream(answer) : FakeWire.AnthropicStream(answer))
                {
                    await WriteEventAsync(response, e, cancellationToken);
                }

                return;
            case Answer answer:
                await response.WriteAsJsonAsync(Wire == Wire.OpenAi ? FakeWire.OpenAiAnswer(answer) : FakeWire.AnthropicAnswer(answer), cancellationToken);
                return;
        }
    }

    private static async Task StartEventsAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteEventAsync(HttpResponse response, (string? Type, string Data) e, CancellationToken cancellationToken)
    {
        await response.WriteAsync((e.Type is null ? "" : $"event: {e.Type}\n") + $"data: {e.Data}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
