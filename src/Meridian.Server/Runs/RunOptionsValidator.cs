using Microsoft.Extensions.Options;

namespace Meridian.Server.Runs;

internal sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    public ValidateOptionsResult Validate(string? name, RunOptions o)
    {
        var errors = new List<string>();
        Check(o.MaxConcurrentRuns is >= 1 and <= 10_000, "Runs:MaxConcurrentRuns must be between 1 and 10000.");
        Check(o.MaxConcurrentRunsPerUser is >= 1 and <= 100, "Runs:MaxConcurrentRunsPerUser must be between 1 and 100.");
        Check(o.MaxQueuedRunsPerUser is >= 0 and <= 1000, "Runs:MaxQueuedRunsPerUser must be between 0 and 1000.");
        Check(o.StageTimeoutSeconds is >= 1 and <= 3600, "Runs:StageTimeoutSeconds must be between 1 and 3600.");
        Check(o.RunTimeoutSeconds >= o.StageTimeoutSeconds && o.RunTimeoutSeconds <= 86_400, "Runs:RunTimeoutSeconds must be at least Runs:StageTimeoutSeconds and at most 86400.");
        Check(o.TransientRetries is >= 0 and <= 10, "Runs:TransientRetries must be between 0 and 10.");
        Check(o.RetryDelayMilliseconds is >= 0 and <= 60_000, "Runs:RetryDelayMilliseconds must be between 0 and 60000.");
        Check(o.LeaseSeconds is >= 3 and <= 3600, "Runs:LeaseSeconds must be between 3 and 3600.");
        Check(o.ExecuteWaitSeconds is >= 1 and <= 3600, "Runs:ExecuteWaitSeconds must be between 1 and 3600.");
        Check(o.MaxInputLength is >= 1 and <= 1_000_000, "Runs:MaxInputLength must be between 1 and 1000000.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }
    }
}
