using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Meridian.Cli.Commands;

/// <summary>An option that takes a length of time: <c>60s</c>, <c>2m</c>, <c>1m30s</c>, <c>500ms</c>, <c>1h</c>,
/// or a plain number of seconds.</summary>
internal static partial class DurationOption
{
    public static Option<TimeSpan> Create(string name, string description, TimeSpan defaultValue, bool allowZero = true) => new(name)
    {
        Description = description + $" (60s, 2m, 1m30s, 500ms; default {Format(defaultValue)})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (TryParse(text, out var value) && (allowZero || value > TimeSpan.Zero))
            {
                return value;
            }

            r.AddError($"{name} takes a {(allowZero ? "" : "positive ")}length of time such as 60s, 2m or 500ms, not '{text}'");
            return default;
        },
    };

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return seconds >= 0;
        }

        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            return false;
        }

        foreach (Match part in parts)
        {
            var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }

        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 && value > TimeSpan.Zero ? $"{value.TotalMilliseconds:0}ms" : $"{value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
