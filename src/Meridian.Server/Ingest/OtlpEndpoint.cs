using Google.Protobuf;
using Meridian.Server.Errors;
using Meridian.Server.Ingest.Otlp;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Ingest;

/// <summary><c>POST /v1/traces</c>: the OTLP/HTTP trace receiver (docs/ingest.md#2-otlp-receiver). GenAI spans become
/// the key owner's usage records; other spans are ignored; spans with a problem are rejected and reported as a
/// partial success, as the protocol asks, so the exporter does not retry them.</summary>
public static partial class OtlpEndpoint
{
    public const string Path = "/v1/traces";

    /// <summary>The longest an export's body may take to arrive.</summary>
    private static readonly TimeSpan BodyDeadline = TimeSpan.FromSeconds(60);

    public static WebApplication MapOtlp(this WebApplication app)
    {
        // The answer is OTLP's ExportTraceServiceResponse in the request's encoding (protobuf, or OTLP's JSON mapping of it).
        app.MapPost(Path, Receive).WithTags("Ingest").Produces<byte[]>(StatusCodes.Status200OK, "application/x-protobuf").ProducesProblems(
            ErrorCodes.InvalidIngestKey, ErrorCodes.BadRequest, ErrorCodes.RequestTimeout, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType,
            ErrorCodes.RateLimited, ErrorCodes.ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> Receive(
        HttpContext http, IngestKeyStore keys, IngestGate gate, UsageStore usage, PriceCatalog catalog, IOptions<IngestOptions> options,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (await OwnerAsync(http, keys, ct) is not { } owner)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Result(ErrorCodes.InvalidIngestKey, "Send an ingest key as Authorization: Bearer mik_… (create one at /api/ingest/keys).");
        }

        if (!gate.TryEnter())
        {
            http.Response.Headers.RetryAfter = "1";
            return Problems.Result(ErrorCodes.RateLimited, "The node is storing as many exports as it takes at once; retry after Retry-After.",
                new Dictionary<string, object?> { ["retry_after_ms"] = 1000 });
        }

        try
        {
            return await StoreAsync(http, owner, keys, usage, catalog, options.Value, loggers.CreateLogger(typeof(OtlpEndpoint)), ct);
        }
        catch (TimeoutException)
        {
            // SQLite's single write turn stayed taken (a large import holds it): not the exporter's fault, and worth a retry.
            http.Response.Headers.RetryAfter = "5";
            return Problems.Result(ErrorCodes.ServiceUnavailable, "The database is busy storing other records; retry after Retry-After.");
        }
        finally
        {
            gate.Exit();
        }
    }

    private static async Task<IResult> StoreAsync(
        HttpContext http, IngestKeyOwner owner, IngestKeyStore keys, UsageStore usage, PriceCatalog catalog, IngestOptions settings, ILogger logger,
        CancellationToken ct)
    {
        if (OtlpBody.EncodingOf(http.Request.ContentType) is not { } encoding)
        {
            return Problems.Result(ErrorCodes.UnsupportedMediaType, "Send OTLP as application/x-protobuf or application/json.");
        }

        if (OtlpBody.IsGzip(http.Request) is not { } gzip)
        {
            return Problems.Result(ErrorCodes.UnsupportedMediaType, "Content-Encoding must be gzip or absent.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxBodyBytes;
        }

        ExportTraceServiceRequest request;
        // An export holds one of the node's few slots: it must arrive in reasonable time, however slowly it trickles.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(BodyDeadline);
        try
        {
            var body = await OtlpBody.ReadAsync(http.Request, gzip, settings.MaxBodyBytes, deadline.Token);
            if (body is null)
            {
                return Problems.Result(ErrorCodes.PayloadTooLarge, $"The export is larger than {settings.MaxBodyBytes} bytes once decompressed; export smaller batches.");
            }

            request = OtlpBody.Parse(body, encoding);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return Problems.Result(ErrorCodes.RequestTimeout, $"The export did not arrive within {BodyDeadline.TotalSeconds:0} s; nothing was stored.");
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            // Nothing was stored: an export is read whole before any of it is.
            return Problems.Result(ErrorCodes.BadRequest, $"The body is not an OTLP trace export ({Http.Excerpt.Of(ex.Message, 200)}); nothing was stored.");
        }

        using var spans = SpanImport.Read(request, catalog, settings.FeatureAttribute);
        if (spans.Accepted > 0)
        {
            await usage.InsertAsync(owner.UserId, spans.Records(), replace: false, ct);
        }

        await keys.RecordAsync(owner, spans.Accepted, spans.Rejected, spans.Ignored, ct);
        LogExport(logger, owner.UserId, owner.KeyId, spans.Accepted, spans.Rejected, spans.Ignored);
        var response = new ExportTraceServiceResponse();
        if (spans.Rejected > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = spans.Rejected, ErrorMessage = spans.Problems() };
        }

        var (bytes, contentType) = OtlpBody.Answer(response, encoding);
        return Results.Bytes(bytes, contentType);
    }

    private static async Task<IngestKeyOwner?> OwnerAsync(HttpContext http, IngestKeyStore keys, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        var key = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
        return IngestKeySecret.LooksLikeKey(key) ? await keys.FindAsync(key!, ct) : null;
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Debug, Message = "OTLP export for {UserId} with key {KeyId}: {Accepted} records, {Rejected} spans rejected, {Ignored} ignored")]
    private static partial void LogExport(ILogger logger, string userId, string keyId, long accepted, long rejected, long ignored);
}
