using Meridian.Server.Tools;

namespace Meridian.Tests.Tools;

public sealed class FiguresTests
{
    [Theory]
    [InlineData("0", "$0.00")]
    [InlineData("0.4", "$0.40")]
    [InlineData("99.99", "$99.99")]
    [InlineData("100", "$100")]
    [InlineData("1234.5", "$1,235")]
    [InlineData("10000", "$10,000")]
    [InlineData("-150", "-$150")]
    public void Dollars_are_cents_below_100_and_whole_from_100(string amount, string written) =>
        Figures.Usd(Money(amount)).ShouldBe(written);

    [Theory]
    [InlineData("99.994", "99.99", "$99.99")]
    [InlineData("99.995", "100.00", "$100")]
    [InlineData("100.5", "101", "$101")]
    [InlineData("546.4285", "546", "$546")]
    [InlineData("0.125", "0.13", "$0.13")]
    public void Money_in_data_rounds_half_away_from_zero_to_what_usd_writes(string amount, string rounded, string written)
    {
        var value = Figures.Round(Money(amount));

        value.ShouldBe(Money(rounded));
        Figures.Usd(value).ShouldBe(written);
    }

    [Theory]
    [InlineData(0.25, "25%")]
    [InlineData(0.5023, "50.2%")]
    [InlineData(0.145, "14.5%")]
    [InlineData(1.8182, "181.8%")]
    [InlineData(-0.05, "-5%")]
    [InlineData(0, "0%")]
    public void Percentages_have_at_most_one_decimal(double fraction, string written) => Figures.Pct(fraction).ShouldBe(written);

    [Theory]
    [InlineData(0, "0 ms")]
    [InlineData(720, "720 ms")]
    [InlineData(1000, "1.0 s")]
    [InlineData(1234, "1.23 s")]
    [InlineData(2400, "2.4 s")]
    public void Milliseconds_become_seconds_from_one_second(double ms, string written) => Figures.Ms(ms).ShouldBe(written);

    [Fact]
    public void Counts_and_fractions()
    {
        Figures.Count(12345.6).ShouldBe("12,346");
        Figures.Round(0.123456).ShouldBe(0.1235);
    }

    private static decimal Money(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
