using Meridian.Server.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Tests.Llm;

/// <summary>Section <c>Llm</c> is checked when the host starts: a bad value stops it, naming the setting.</summary>
public sealed class LlmOptionsTests
{
    [Theory]
    [InlineData("Llm:Provider", "gemini", "Llm:Provider must be builtin, openai or anthropic")]
    [InlineData("Llm:BaseUrl", "not a url", "Llm:BaseUrl")]
    [InlineData("Llm:BaseUrl", "ftp://models.example.com", "Llm:BaseUrl")]
    [InlineData("Llm:TimeoutSeconds", "0", "Llm:TimeoutSeconds")]
    [InlineData("Llm:MaxRetries", "-1", "Llm:MaxRetries")]
    [InlineData("Llm:RetryDelayMilliseconds", "600000", "Llm:RetryDelayMilliseconds")]
    [InlineData("Llm:MaxOutputTokens", "0", "Llm:MaxOutputTokens")]
    [InlineData("Llm:TotalTimeoutSeconds", "-5", "Llm:TotalTimeoutSeconds")]
    public async Task A_bad_value_stops_the_start_naming_the_setting(string key, string value, string message)
    {
        var failure = await StartFailureAsync(new() { [key] = value });

        failure.ShouldContain(message);
    }

    [Fact]
    public async Task Anthropic_without_a_key_stops_the_start()
    {
        var failure = await StartFailureAsync(new() { ["Llm:Provider"] = "anthropic", ["Llm:Model"] = "claude-test" });

        failure.ShouldContain("Llm:ApiKey is required when Llm:Provider is anthropic");
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task A_provider_without_a_model_stops_the_start(string provider)
    {
        var failure = await StartFailureAsync(new() { ["Llm:Provider"] = provider, ["Llm:ApiKey"] = "k" });

        failure.ShouldContain($"Llm:Model is required when Llm:Provider is {provider}");
    }

    [Theory]
    [InlineData("openai", null, "https://api.openai.com/v1/")]
    [InlineData("OpenAI", "http://localhost:11434/v1/", "http://localhost:11434/v1/")]
    [InlineData("anthropic", null, "https://api.anthropic.com/")]
    public async Task Good_settings_start_and_name_the_engine(string provider, string? baseUrl, string resolved)
    {
        using var host = Host(new() { ["Llm:Provider"] = provider, ["Llm:BaseUrl"] = baseUrl, ["Llm:ApiKey"] = "k", ["Llm:Model"] = "m" });

        await host.StartAsync(TestContext.Current.CancellationToken);

        var model = host.Services.GetRequiredService<LanguageModel>();
        model.Engine.ShouldBe($"{provider.ToLowerInvariant()}:m");
        host.Services.GetRequiredService<IOptions<LlmOptions>>().Value.ResolvedBaseUrl.ToString().ShouldBe(resolved);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        using var host = Host(settings);
        var thrown = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        return string.Join("\n", thrown.Failures);
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLlm(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder.Build();
    }
}
