using Microsoft.Extensions.Options;

namespace Meridian.Server.Ingest;

internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FeatureAttribute))
        {
            failures.Add("Ingest:FeatureAttribute must name an attribute, such as service.name.");
        }

        if (options.MaxBodyBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add("Ingest:MaxBodyBytes must be from 1024 to 1073741824.");
        }

        if (options.MaxConcurrentExports < 1)
        {
            failures.Add("Ingest:MaxConcurrentExports must be at least 1.");
        }

        if (options.MaxKeysPerUser < 1)
        {
            failures.Add("Ingest:MaxKeysPerUser must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
