using Microsoft.Extensions.Options;

namespace Meridian.Server.Gateway;

/// <summary>Refuses <see cref="GatewayOptions"/> that cannot work, at startup (<c>ValidateOnStart</c>).</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions o)
    {
        var errors = new List<string>();
        if (o.HeartbeatIntervalSeconds is < 1 or > 3600)
        {
            errors.Add("Gateway:HeartbeatIntervalSeconds must be between 1 and 3600.");
        }

        if (o.MaxMessageSize < 256 || o.MaxMessageSize > o.HardMessageCap)
        {
            errors.Add("Gateway:MaxMessageSize must be at least 256 and at most Gateway:HardMessageCap.");
        }

        if (o.HardMessageCap > 16 * 1024 * 1024)
        {
            errors.Add("Gateway:HardMessageCap must be at most 16 MiB.");
        }

        if (o.AuthTimeoutSeconds < 1 || o.ReauthGraceSeconds < 1)
        {
            errors.Add("Gateway:AuthTimeoutSeconds and Gateway:ReauthGraceSeconds must be positive.");
        }

        if (o.RevocationCheckSeconds < 1 || o.RevocationCheckSeconds > GatewayOptions.MaxRevocationCheckSeconds)
        {
            errors.Add($"Gateway:RevocationCheckSeconds must be between 1 and {GatewayOptions.MaxRevocationCheckSeconds}, got {o.RevocationCheckSeconds}.");
        }

        if (o.SendQueueFrames < GatewayOptions.MinSendQueueFrames)
        {
            errors.Add($"Gateway:SendQueueFrames must be at least {GatewayOptions.MinSendQueueFrames}.");
        }

        if (o.AcceptGen0BudgetBytes < 0)
        {
            errors.Add("Gateway:AcceptGen0BudgetBytes must be 0 (off) or positive.");
        }

        if (o.MessagesPerMinute < 1 || o.MessageBurst < 1 || o.FramesPerSecond < 1 || o.FrameBurst < 1)
        {
            errors.Add("Gateway rate limits must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
