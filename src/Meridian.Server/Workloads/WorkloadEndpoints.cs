using System.IO.Pipelines;
using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Pricing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Meridian.Server.Workloads;

/// <summary><c>/api/workloads</c>: the caller's usage records — import, synthetic generation, summary, deletion.
/// Every route works on the caller's own records only.</summary>
public static class WorkloadEndpoints
{
    public static WebApplication MapWorkloads(this WebApplication app)
    {
        var group = app.MapGroup("/api/workloads").WithTags("Workloads").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized);
        group.MapPost("/import", Import).ProducesProblems(
            ErrorCodes.BadRequest, ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType);
        group.MapPost("/synthetic", Synthetic).ProducesProblems(ErrorCodes.ValidationFailed);
        group.MapGet("/summary", Summary);
        group.MapDelete("", Delete);
        return app;
    }

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Import(
        HttpContext http, UsageImporter importer, IOptions<WorkloadOptions> options,
        string? format, bool? skip_invalid, bool? replace, CancellationToken ct)
    {
        // Uploads may be far larger than other requests: raise the body limit for this request only.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxImportBytes;
        }

        var named = ImportFormats.FromQuery(format);
        if (format is not null && named is null)
        {
            return Problems.Validation("format", $"format must be {ImportFormats.Names}.");
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ImportBodyAsync(http.Request.BodyReader, ImportFormats.FromContentType(http.Request.ContentType));
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Problems.Result(ErrorCodes.BadRequest, "The multipart body has no boundary.");
        }

        try
        {
            return await ImportMultipartAsync(new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = options.Value.MaxImportBytes });
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && ex is not BadHttpRequestException && !ct.IsCancellationRequested))
        {
            // The multipart reader's own complaints: a body that ends before its closing boundary (IOException), or
            // section headers beyond its limits (InvalidDataException). The server's (a body over the limit, a
            // broken chunked encoding) keep their own status. Nothing was stored: the import stores only whole files.
            return Problems.Result(ErrorCodes.BadRequest, ex is InvalidDataException
                ? $"The multipart body is malformed: {ex.Message} Nothing was imported."
                : "The multipart body ends before its closing boundary (an interrupted upload?). Nothing was imported.");
        }

        async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportMultipartAsync(MultipartReader multipart)
        {
            // Sections are read as they stream in; the file is never buffered whole (unlike form binding).
            while (await multipart.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    var reader = PipeReader.Create(section.Body);
                    try
                    {
                        return await ImportBodyAsync(reader, ImportFormats.FromContentType(section.ContentType) ?? ImportFormats.FromFileName(fileName));
                    }
                    finally
                    {
                        await reader.CompleteAsync();
                    }
                }
            }

            return Problems.Validation("file", "A multipart upload needs the records in a part named 'file'.");
        }

        // The format: named, else told by the content (an export of another tool), else by the content type or file
        // name (docs/workloads.md#22-import).
        async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportBodyAsync(PipeReader body, ImportFormat? declared)
        {
            if ((named ?? (await ImportSniffer.SniffAsync(body, ct)).Format ?? declared) is not { } importFormat)
            {
                return Problems.Result(ErrorCodes.UnsupportedMediaType,
                    "Send the records as text/csv or application/x-ndjson (JSON Lines), as multipart/form-data with a 'file' part, " +
                    $"or name the format with ?format= ({ImportFormats.Names}).");
            }

            var result = await importer.ImportAsync(http.UserId(), body, importFormat, skip_invalid ?? false, replace ?? false, ct);
            if (result.Rejected)
            {
                return Problems.Result(ErrorCodes.ValidationFailed, result.Detail, new Dictionary<string, object?>
                {
                    ["errors"] = ByField(result.Errors),
                    ["row_errors"] = result.Errors,
                    ["error_count"] = result.ErrorCount,
                    ["imported"] = 0,
                    ["skipped"] = result.Skipped,
                    ["ignored"] = result.Ignored,
                });
            }

            return TypedResults.Ok(new ImportResponse(
                result.Imported, result.Skipped, result.ErrorCount, result.Errors, result.Format, replace ?? false, result.Detail, result.Ignored));
        }
    }

    /// <summary>The problem-body convention <c>errors: {field: [reasons]}</c>, each reason naming its line.</summary>
    private static Dictionary<string, string[]> ByField(IEnumerable<ImportError> errors) =>
        errors.GroupBy(e => e.Field ?? "record").ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}{(e.Item is { } i ? $", item {i}" : "")}: {e.Reason}").ToArray());

    private static async Task<Results<Ok<SyntheticResponse>, ProblemHttpResult>> Synthetic(
        HttpContext http, UsageStore store, PriceCatalog catalog, TimeProvider clock, IOptions<WorkloadOptions> options,
        JsonElement? body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        if (SyntheticRequest.Parse(body, yesterday, errors) is not { } request)
        {
            return Problems.Validation(errors);
        }

        var expected = request.ExpectedRecords();
        if (expected > options.Value.MaxSyntheticRecords)
        {
            return Problems.Validation("calls_per_day",
                $"That would generate about {expected} records; at most {options.Value.MaxSyntheticRecords} are allowed (Workloads:MaxSyntheticRecords).");
        }

        var userId = http.UserId();
        var generated = await store.InsertAsync(userId, new SyntheticGenerator(catalog).Generate(request), request.Replace, ct);
        return TypedResults.Ok(new SyntheticResponse(
            request.Profile.Name,
            request.Profile.Description,
            request.Seed,
            request.Days,
            request.StartDate,
            request.EndDate,
            request.CallsPerDay,
            request.GrowthPctPerMonth,
            request.ErrorRate,
            generated,
            request.Replace,
            catalog.AsOf,
            await store.SummarizeAsync(userId, ct)));
    }

    private static async Task<Ok<WorkloadSummary>> Summary(HttpContext http, UsageStore store, PriceCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(new WorkloadSummary(await store.SummarizeAsync(http.UserId(), ct), catalog.AsOf, PricesInfo.Of(catalog)));

    private static async Task<NoContent> Delete(HttpContext http, UsageStore store, CancellationToken ct)
    {
        await store.DeleteAsync(http.UserId(), ct);
        return TypedResults.NoContent();
    }
}
