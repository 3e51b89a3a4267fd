using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Bench;

/// <summary>An OpenAI-compatible chat-completions endpoint on 127.0.0.1 that streams a fixed answer of
/// <c>pieces</c> server-sent events as fast as the connection takes them: each piece becomes one
/// <c>agent_response_delta</c> of the run that asked (docs/language-models.md).</summary>
internal sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeModelServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>What <c>Llm:BaseUrl</c> is set to.</summary>
    public string BaseUrl { get; }

    public static async Task<FakeModelServer> StartAsync(int pieces)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await WriteAsync(context, new { choices = new[] { new { index = 0, delta = new { role = "assistant", content = "" } } } });
            for (var i = 0; i < pieces; i++)
            {
                var text = i % 40 == 0 ? $"\n\nParagraph {i / 40 + 1}: " : $"word{i} ";
                await WriteAsync(context, new { model = "gpt-4o-mini", choices = new[] { new { index = 0, delta = new { content = text } } } });
            }

            await WriteAsync(context, new { model = "gpt-4o-mini", choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
            await WriteAsync(context, new { model = "gpt-4o-mini", choices = Array.Empty<object>(), usage = new { prompt_tokens = 1200, completion_tokens = pieces, total_tokens = 1200 + pieces } });
            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeModelServer(app, address + "/v1");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task WriteAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n");
        await context.Response.Body.FlushAsync();
    }
}
