namespace Meridian.Client.Http;

public sealed record TokenAnswer(
    string AccessToken, string? RefreshToken, string? TokenType, int ExpiresIn, int? RefreshExpiresIn, UserProfile User);
