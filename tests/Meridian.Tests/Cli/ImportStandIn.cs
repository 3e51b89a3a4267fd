using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace Meridian.Tests.Cli;

/// <summary>A real HTTP server on 127.0.0.1 that answers <c>GET /auth/me</c> and <c>POST /api/workloads/import</c> the
/// way docs/workloads.md says: the body read as a stream, line by line; <c>input_tokens</c> checked as a whole
/// number; a bad record refuses the file with 422 <c>VALIDATION_FAILED</c> and its <c>row_errors</c>, unless
/// <c>skip_invalid=true</c>. This branch's server does not have the import route yet, so <c>meridian import</c> is
/// tested against this stand-in; it records what it received, to check how the CLI sent it.</summary>
public sealed class ImportStandIn : IAsyncDisposable
{
    public const string Token = "import-stand-in-token";

    private readonly WebApplication _app;

    private ImportStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>What the last import request carried: content type, query, bytes, and the records' lines.</summary>
    public (string? ContentType, string Query, long Bytes, int Records)? Received { get; private set; }

    public static async Task<ImportStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ImportStandIn(app);
        app.MapGet("/auth/me", (HttpContext c) => Authorized(c) ? Results.Json(new { id = "user_standin", email = "importer@example.com" }) : Results.Unauthorized());
        app.MapPost("/api/workloads/import", (Func<HttpContext, Task<IResult>>)standIn.ImportAsync);
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool Authorized(HttpContext c) => c.Request.Headers.Authorization.ToString() == "Bearer " + Token;

    private async Task<IResult> ImportAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var header = (await reader.ReadLineAsync())?.Split(',') ?? [];
        var tokens = Array.IndexOf(header, "input_tokens");
        var errors = new List<object>();
        var (records, line, bytes) = (0, 1, Encoding.UTF8.GetByteCount(string.Join(',', header)) + 1L);
        while (await reader.ReadLineAsync() is { } text)
        {
            line++;
            bytes += Encoding.UTF8.GetByteCount(text) + 1;
            if (text.Length == 0)
            {
                continue;
            }

            records++;
            var fields = text.Split(',');
            if (tokens < 0 || tokens >= fields.Length || !long.TryParse(fields[tokens], out _))
            {
                errors.Add(new { line, field = "input_tokens", reason = "must be a whole number from 0 to 100000000" });
            }
        }

        Received = (context.Request.ContentType, context.Request.QueryString.Value ?? "", bytes, records);
        var skip = context.Request.Query["skip_invalid"] == "true";
        if (errors.Count > 0 && !skip)
        {
            return Results.Json(
                new { status = 422, error_code = "VALIDATION_FAILED", detail = $"{errors.Count} of {records} records are invalid; nothing was imported.", row_errors = errors, error_count = errors.Count, imported = 0, skipped = errors.Count },
                JsonSerializerOptions.Web, "application/problem+json", 422);
        }

        return Results.Json(new { imported = records - errors.Count, skipped = errors.Count, error_count = errors.Count, row_errors = errors, format = "csv", replaced = false });
    }
}
