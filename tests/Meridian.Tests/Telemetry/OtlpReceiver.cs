using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Meridian.Tests.Telemetry.Otlp;

namespace Meridian.Tests.Telemetry;

/// <summary>An OTLP/HTTP receiver on a loopback port, as a collector would be: it decodes the protobuf
/// <see cref="ExportTraceServiceRequest"/>s posted to <c>/v1/traces</c> and keeps their spans; metrics and logs
/// are acknowledged and dropped.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private const string Protobuf = "application/x-protobuf";

    private readonly ConcurrentQueue<(string Service, Span Span)> _spans = new();
    private WebApplication? _app;

    /// <summary>The base endpoint for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = receiver._app = builder.Build();
        app.MapPost("/v1/traces", receiver.ReceiveAsync);
        app.MapPost("/v1/{signal}", context => AcknowledgeAsync(context, new ExportTraceServiceResponse()));
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>Every span received so far, with the <c>service.name</c> of its resource.</summary>
    public IReadOnlyList<(string Service, Span Span)> Spans => [.. _spans];

    /// <summary>Waits until the spans received satisfy <paramref name="done"/> (spans arrive in export batches as they end).</summary>
    public async Task<IReadOnlyList<Span>> WaitForAsync(Func<IReadOnlyList<Span>, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = Spans.Select(s => s.Span).ToList();
            if (done(spans))
            {
                return spans;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the expected spans did not arrive within {timeout}; received: "
                    + string.Join(", ", spans.Select(s => s.Name)));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
            {
                _spans.Enqueue((service, span));
            }
        }

        await AcknowledgeAsync(context, new ExportTraceServiceResponse());
    }

    private static async Task AcknowledgeAsync(HttpContext context, IMessage response)
    {
        context.Response.ContentType = Protobuf;
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }
}
