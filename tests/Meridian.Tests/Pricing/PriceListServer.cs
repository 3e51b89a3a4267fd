using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Pricing;

/// <summary>A price list on a loopback HTTP port, as LiteLLM's raw file is served: <c>GET /prices.json</c> answers the
/// current body with a <c>Last-Modified</c> date and an <c>ETag</c>, and 304 to a request whose <c>If-None-Match</c>
/// names the current one. A test changes the body, or makes it answer a status instead.</summary>
internal sealed class PriceListServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private string _body;
    private int _version = 1;
    private int _status = 200;
    private int _requests;
    private int _conditional;

    private PriceListServer(WebApplication app, string body) => (_app, _body) = (app, body);

    public Uri Url { get; private set; } = null!;

    /// <summary>The <c>Last-Modified</c> date every answer carries.</summary>
    public DateTimeOffset LastModified { get; set; } = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that carried <c>If-None-Match</c> or <c>If-Modified-Since</c>.</summary>
    public int Conditional => Volatile.Read(ref _conditional);

    public static async Task<PriceListServer> StartAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new PriceListServer(builder.Build(), body);
        server._app.MapGet("/prices.json", server.Serve);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/prices.json");
        return server;
    }

    /// <summary>Serves a new list (a new ETag).</summary>
    public void Serve(string body)
    {
        lock (_gate)
        {
            (_body, _status) = (body, 200);
            _version++;
        }
    }

    /// <summary>Answers every request with this status and a short text body.</summary>
    public void Fail(int status)
    {
        lock (_gate)
        {
            _status = status;
            _version++;
        }
    }

    /// <summary>Waits until the list has been asked for <paramref name="more"/> more times than <paramref name="since"/>.</summary>
    public async Task WaitForRequestsAsync(int since, int more)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Requests < since + more)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task Serve(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        string body;
        int status;
        string etag;
        lock (_gate)
        {
            (body, status, etag) = (_body, _status, $"\"v{_version}\"");
        }

        var headers = context.Request.Headers;
        if (headers.IfNoneMatch.Count > 0 || headers.IfModifiedSince.Count > 0)
        {
            Interlocked.Increment(ref _conditional);
        }

        if (status != 200)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("failing on purpose");
            return;
        }

        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    }
}
