using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

internal sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var (_, loaded) = PriceCatalogLoader.Load(options);
        var errors = loaded.ToList();
        if (options.Source is { Length: > 0 } source && PriceListSource.Describe(source) is { } problem)
        {
            errors.Add($"Pricing:Source: {problem}");
        }

        if (options.RefreshMinutes is < 0.01 or > 525_600 || double.IsNaN(options.RefreshMinutes))
        {
            errors.Add("Pricing:RefreshMinutes must be between 0.01 and 525600 (a year).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
