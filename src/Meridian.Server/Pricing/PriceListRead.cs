namespace Meridian.Server.Pricing;

/// <summary>One attempt to read the price list: its body and date, or that it has not changed since the last good
/// read (<see cref="NotModified"/>), or why it failed (<see cref="Error"/>). <see cref="Validators"/> are what the
/// next conditional read sends, once this body has been accepted.</summary>
public sealed record PriceListRead(byte[]? Body, DateTimeOffset Date, string? Error, PriceListValidators Validators)
{
    public bool NotModified => Body is null && Error is null;
}
