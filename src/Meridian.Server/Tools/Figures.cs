using System.Globalization;

namespace Meridian.Server.Tools;

/// <summary>How figures are written, in tool summaries and in reports alike, so a report's number can be found
/// verbatim in the tool result it came from.</summary>
public static class Figures
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Dollars: whole dollars from $100 up, cents below.</summary>
    public static string Usd(decimal amount) =>
        Math.Abs(amount) >= 100m ? amount.ToString("$#,##0", Invariant) : amount.ToString("$#,##0.00", Invariant);

    public static string Pct(double fraction) => (fraction * 100).ToString("0.#", Invariant) + "%";

    public static string Ms(double milliseconds) =>
        milliseconds >= 1000 ? (milliseconds / 1000).ToString("0.0#", Invariant) + " s" : milliseconds.ToString("#,##0", Invariant) + " ms";

    public static string Count(double value) => value.ToString("#,##0", Invariant);

    /// <summary>Rounds money for the numbers in a tool's <c>data</c>, so data and summary agree.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, Math.Abs(amount) >= 100m ? 0 : 2, MidpointRounding.AwayFromZero);

    public static double Round(double fraction) => Math.Round(fraction, 4);
}
