namespace Meridian.Server.Pricing;

/// <summary>What identifies the last accepted price list: the HTTP <c>ETag</c> and <c>Last-Modified</c>, or a file's
/// write time and length.</summary>
public sealed record PriceListValidators(string? ETag, DateTimeOffset? LastModified, long Length = -1)
{
    public static readonly PriceListValidators None = new(null, null);
}
