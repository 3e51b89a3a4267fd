using Microsoft.Extensions.Options;

namespace Meridian.Server.Workloads;

internal sealed class WorkloadOptionsValidator : IValidateOptions<WorkloadOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkloadOptions o)
    {
        var errors = new List<string>();
        if (o.MaxImportBytes is < 1024 or > 64L * 1024 * 1024 * 1024)
        {
            errors.Add("Workloads:MaxImportBytes must be between 1024 and 68719476736 (64 GiB).");
        }

        if (o.MaxReportedErrors is < 1 or > 10_000)
        {
            errors.Add("Workloads:MaxReportedErrors must be between 1 and 10000.");
        }

        if (o.MaxSyntheticRecords is < 1 or > 50_000_000)
        {
            errors.Add("Workloads:MaxSyntheticRecords must be between 1 and 50000000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
