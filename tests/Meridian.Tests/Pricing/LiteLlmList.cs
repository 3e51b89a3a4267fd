using System.Globalization;

namespace Meridian.Tests.Pricing;

/// <summary>Price lists in LiteLLM's <c>model_prices_and_context_window.json</c> format (a JSON object keyed by model
/// name, USD per token, a <c>sample_spec</c> entry describing the fields), small enough to read in a test.</summary>
internal static class LiteLlmList
{
    /// <summary>gpt-4o at the given input price per million tokens (output 12, cache read 1.5 per million), a dated
    /// variant, a hosted copy, a model the curated catalog lacks, and entries that must be skipped.</summary>
    public static string With(decimal gpt4oInputPerMillion) => $$"""
        {
          "sample_spec": {
            "max_tokens": "LEGACY parameter. set to max_output_tokens if provider specifies it.",
            "input_cost_per_token": 0.0000,
            "output_cost_per_token": 0.000,
            "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
            "mode": "one of: chat, embedding, completion, image_generation, audio_transcription, audio_speech, image_generation, moderation, rerank, search"
          },
          "gpt-4o": {
            "max_tokens": 16384, "max_input_tokens": 128000, "max_output_tokens": 16384,
            "input_cost_per_token": {{PerToken(gpt4oInputPerMillion)}}, "output_cost_per_token": 1.2e-05,
            "cache_read_input_token_cost": 1.5e-06,
            "litellm_provider": "openai", "mode": "chat", "supports_function_calling": true
          },
          "gpt-4o-2024-05-13": {
            "input_cost_per_token": 5e-06, "output_cost_per_token": 1.5e-05, "litellm_provider": "openai", "mode": "chat"
          },
          "azure/gpt-4o": {
            "input_cost_per_token": 2.75e-06, "output_cost_per_token": 1.1e-05, "litellm_provider": "azure", "mode": "chat"
          },
          "claude-sonnet-4-5": {
            "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
            "cache_creation_input_token_cost": 3.75e-06, "litellm_provider": "anthropic", "mode": "chat"
          },
          "acme/frontier-9": {
            "input_cost_per_token": 7e-06, "output_cost_per_token": 2.1e-05, "litellm_provider": "acme", "mode": "responses"
          },
          "text-embedding-3-small": {
            "input_cost_per_token": 2e-08, "output_cost_per_token": 0.0, "litellm_provider": "openai", "mode": "embedding"
          },
          "dall-e-3": { "litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04 }
        }
        """;

    private static string PerToken(decimal perMillion) => (perMillion / 1_000_000m).ToString(CultureInfo.InvariantCulture);
}
