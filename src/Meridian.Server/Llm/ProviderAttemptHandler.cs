using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

/// <summary>The innermost handler of the providers' HttpClient, under the resilience pipeline: it sees every attempt.
/// It counts each one for the run's usage, notes why a failed one failed (short and key-free, for the fallback's
/// reason and the log) and records its metrics; for an answered one it arms the silence timer of the
/// <see cref="LlmCall"/>, since the SDK reads the answer's body after this pipeline has returned.</summary>
internal sealed class ProviderAttemptHandler(
    IOptions<LlmOptions> options, LlmMetrics metrics, TimeProvider clock, ILogger<LanguageModel> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (LlmCall.Current is not { } call)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var attempt = call.BeginAttempt();
        var started = clock.GetTimestamp();
        var provider = options.Value.ProviderName;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                call.Answered(started);
                return response;
            }

            Failed(call, attempt, started, "error", await ProviderErrors.DescribeAsync(response, options.Value.ApiKey, cancellationToken));
            return response;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(call, attempt, started, "error", ProviderErrors.Unreachable(ex, options.Value.ApiKey));
            throw;
        }
        catch (OperationCanceledException) when (call.Run.IsCancellationRequested)
        {
            metrics.Call(provider, "cancelled", clock.GetElapsedTime(started).TotalSeconds, 0, 0);
            throw;
        }
        catch (OperationCanceledException) when (call.Token.IsCancellationRequested)
        {
            // The total timeout ended the call: LanguageModel says so; the last failure stays what it was.
            metrics.Call(provider, "timeout", clock.GetElapsedTime(started).TotalSeconds, 0, 0);
            throw;
        }
        catch (OperationCanceledException)
        {
            Failed(call, attempt, started, "timeout", $"no answer within {options.Value.TimeoutSeconds} s");
            throw;
        }
    }

    private void Failed(LlmCall call, int attempt, long started, string outcome, string reason)
    {
        call.LastFailure = reason;
        metrics.Call(options.Value.ProviderName, outcome, clock.GetElapsedTime(started).TotalSeconds, 0, 0);
        logger.AttemptFailed(call.Engine, call.Agent, attempt, reason);
    }
}
