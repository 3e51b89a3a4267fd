namespace Meridian.Server.Pricing;

/// <summary>One model of a loaded price list, in USD per million tokens. <see cref="CachedInputPerMillion"/> is the
/// input price when the list gives no cache-read price.</summary>
public sealed record ListedPrice(string Name, string Provider, decimal InputPerMillion, decimal OutputPerMillion, decimal CachedInputPerMillion);
