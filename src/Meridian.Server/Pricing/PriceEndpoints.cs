using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

/// <summary><c>POST /api/prices/check</c>: what a price list (the body, or with an empty body the configured
/// <c>Pricing:Source</c> read now) would change in the catalog in use; nothing is put in use
/// (docs/workloads.md#3-the-price-catalog).</summary>
public static class PriceEndpoints
{
    public static WebApplication MapPrices(this WebApplication app)
    {
        app.MapGroup("/api/prices").WithTags("Prices").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized)
            .MapPost("/check", Check)
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge, ErrorCodes.ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<PriceCheck>, ProblemHttpResult>> Check(
        HttpContext http, CurrentPrices prices, PriceListReader reader, IOptions<PricingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = PriceListReader.MaxBytes;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        string source;
        PriceListRead read;
        if (buffer.Length > 0)
        {
            source = "request body";
            read = new PriceListRead(buffer.ToArray(), clock.GetUtcNow(), null, PriceListValidators.None);
        }
        else if (options.Value.Source is { Length: > 0 } configured)
        {
            source = PriceListSource.Display(configured);
            read = await reader.ReadAsync(configured, PriceListValidators.None, ct);
            if (read.Error is { } error)
            {
                return Problems.Result(ErrorCodes.ServiceUnavailable, $"The price list at {source} could not be read: {error}");
            }
        }
        else
        {
            return Problems.Validation("body", "Send a price list (LiteLLM's JSON format), or configure Pricing:Source to check that.");
        }

        var (listed, problem) = LiteLlmFormat.Parse(read.Body);
        if (listed is null)
        {
            return Problems.Validation("body", $"The price list from {source} cannot be used: {problem}");
        }

        var inUse = prices.Catalog;
        var (candidate, errors) = prices.With(new PriceList(source, DateOnly.FromDateTime(read.Date.UtcDateTime), listed));
        return candidate is null
            ? Problems.Validation("body", string.Join(" ", errors))
            : TypedResults.Ok(PriceCheck.Compare(inUse, candidate));
    }
}
