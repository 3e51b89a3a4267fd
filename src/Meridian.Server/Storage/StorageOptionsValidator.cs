using Microsoft.Extensions.Options;

namespace Meridian.Server.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Storage:ConnectionString is required when Storage:Provider is postgres (set MERIDIAN_Storage__ConnectionString).");
        }

        if (options.ReadinessTimeoutSeconds is < 1 or > 60)
        {
            return ValidateOptionsResult.Fail("Storage:ReadinessTimeoutSeconds must be between 1 and 60.");
        }

        return ValidateOptionsResult.Success;
    }
}
