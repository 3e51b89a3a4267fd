namespace Meridian.Testing.Llm;

/// <summary>An error status with the provider's error body.</summary>
public sealed record Fail(int Status, string Message = "something went wrong", string? RetryAfter = null) : Reply;
