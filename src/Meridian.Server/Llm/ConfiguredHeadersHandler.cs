using Microsoft.Extensions.Options;

namespace Meridian.Server.Llm;

/// <summary>Adds <c>Llm:Headers</c> (e.g. for a gateway in front of the provider) to every request, whichever SDK
/// sends it: one place for both, on the providers' HttpClient.</summary>
internal sealed class ConfiguredHeadersHandler(IOptions<LlmOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in options.Value.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
