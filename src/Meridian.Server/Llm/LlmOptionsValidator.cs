using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions o)
    {
        var provider = o.ProviderName;
        (bool Ok, string Error)[] checks =
        [
            (provider is LlmOptions.Builtin or LlmOptions.OpenAi or LlmOptions.Anthropic,
                $"Llm:Provider must be builtin, openai or anthropic (was '{o.Provider}')."),
            (o.BaseUrl is null or "" || (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0),
                "Llm:BaseUrl must be an absolute http or https URL without a query string."),
            (provider is not LlmOptions.Anthropic || !string.IsNullOrWhiteSpace(o.ApiKey), "Llm:ApiKey is required when Llm:Provider is anthropic."),
            (provider is LlmOptions.Builtin || !string.IsNullOrWhiteSpace(o.Model), $"Llm:Model is required when Llm:Provider is {provider}."),
            (o.TimeoutSeconds is >= 1 and <= 600, "Llm:TimeoutSeconds must be between 1 and 600."),
            (o.TotalTimeoutSeconds is >= 0 and <= 3600, "Llm:TotalTimeoutSeconds must be between 0 and 3600 (0: derived from Runs:StageTimeoutSeconds)."),
            (o.MaxRetries is >= 0 and <= 10, "Llm:MaxRetries must be between 0 and 10."),
            (o.RetryDelayMilliseconds is >= 0 and <= 60_000, "Llm:RetryDelayMilliseconds must be between 0 and 60000."),
            (o.MaxOutputTokens is >= 1 and <= 1_000_000, "Llm:MaxOutputTokens must be between 1 and 1000000."),
        ];
        var errors = checks.Where(c => !c.Ok).Select(c => c.Error).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
