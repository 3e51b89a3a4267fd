using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

internal sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var (_, errors) = PriceCatalogLoader.Load(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
