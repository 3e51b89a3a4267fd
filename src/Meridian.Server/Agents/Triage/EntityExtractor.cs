using System.Globalization;
using System.Text.RegularExpressions;

namespace Meridian.Server.Agents.Triage;

/// <summary>Reads amounts with periods, percentages, latencies (current and target), growth multipliers, models,
/// providers, time ranges and call volumes out of a request. Deterministic: the same text always gives the same
/// entities, so a plan can be reproduced.</summary>
public static partial class EntityExtractor
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Word, double Value)[] MultiplierWords =
        [("double", 2), ("doubles", 2), ("doubling", 2), ("triple", 3), ("triples", 3), ("tripling", 3), ("treble", 3), ("quadruple", 4), ("tenfold", 10)];

    private static readonly (string Pattern, string Provider)[] ModelProviders =
        [("gpt", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("chatgpt", "openai"), ("claude", "anthropic"), ("opus", "anthropic"),
         ("sonnet", "anthropic"), ("haiku", "anthropic"), ("gemini", "google"), ("llama", "meta"), ("mistral", "mistral"), ("mixtral", "mistral"),
         ("deepseek", "deepseek"), ("qwen", "alibaba")];

    public static Entities Extract(string text)
    {
        var amounts = Money().Matches(text).Select(m => ToMoney(text, m)).ToList();
        var moneySpans = Money().Matches(text).Select(m => (m.Index, m.Index + m.Length)).ToList();
        return new Entities(
            amounts,
            Percentages(text),
            Durations().Matches(text).Where(m => !Inside(moneySpans, m.Index)).Select(m => ToLatency(text, m)).ToList(),
            Multipliers(text),
            Models().Matches(text).Select(m => Normalise(m.Value)).Distinct().ToList(),
            Providers(text),
            TimeRanges(text),
            Volumes().Matches(text).Select(ToVolume).ToList());
    }

    private static MoneyAmount ToMoney(string text, Match m)
    {
        var amount = Number(m.Groups["num"].Value) * Scale(m.Groups["scale"].Value);
        var after = text[(m.Index + m.Length)..];
        var period = PeriodAfter().Match(after) is { Success: true } p ? Period(p.Groups["p"].Value)
            : PeriodBefore().Match(text[Math.Max(0, m.Index - 40)..m.Index]) is { Success: true } b ? Period(b.Groups["p"].Value)
            : null;
        return new MoneyAmount(amount, period, m.Value.Trim());
    }

    private static LatencyFigure ToLatency(string text, Match m)
    {
        var value = double.Parse(m.Groups["num"].Value, Invariant);
        var unit = m.Groups["unit"].Value.ToLowerInvariant();
        var ms = unit.StartsWith("ms", StringComparison.Ordinal) || unit.StartsWith("milli", StringComparison.Ordinal) ? value
            : unit.StartsWith("min", StringComparison.Ordinal) ? value * 60_000
            : value * 1000;
        var before = text[Math.Max(0, m.Index - 80)..m.Index];
        var sentence = before[(before.LastIndexOfAny(['.', '?', '!', ';']) + 1)..];
        var percentile = PercentileWord().Matches(sentence).LastOrDefault()?.Value.ToLowerInvariant();
        var isTarget = TargetWords().IsMatch(text[Math.Max(0, m.Index - 25)..m.Index]);
        return new LatencyFigure(ms, percentile, isTarget, m.Value.Trim());
    }

    private static List<double> Percentages(string text)
    {
        var values = Percent().Matches(text).Select(m => double.Parse(m.Groups["num"].Value, Invariant)).ToList();
        if (Halve().IsMatch(text))
        {
            values.Add(50);
        }

        return values.Distinct().ToList();
    }

    private static List<double> Multipliers(string text)
    {
        var values = Times().Matches(text).Select(m => double.Parse(m.Groups["num"].Value, Invariant)).ToList();
        var lower = text.ToLowerInvariant();
        values.AddRange(MultiplierWords.Where(w => Regex.IsMatch(lower, $@"\b{w.Word}\b")).Select(w => w.Value));
        values.AddRange(GrowthPercent().Matches(text).Select(m => 1 + double.Parse(m.Groups["num"].Value, Invariant) / 100));
        return values.Distinct().ToList();
    }

    private static List<string> Providers(string text)
    {
        var named = ProviderNames().Matches(text).Select(m => m.Value.ToLowerInvariant() switch
        {
            "vertex" or "gemini api" => "google",
            "bedrock" or "aws" => "aws",
            "azure" or "azure openai" => "azure",
            var p => p,
        });
        var fromModels = Models().Matches(text).Select(m => Normalise(m.Value))
            .Select(model => ModelProviders.FirstOrDefault(p => model.StartsWith(p.Pattern, StringComparison.Ordinal)).Provider)
            .OfType<string>();
        return named.Concat(fromModels).Distinct().ToList();
    }

    private static List<TimeRange> TimeRanges(string text)
    {
        var ranges = new List<TimeRange>();
        foreach (Match m in Range().Matches(text))
        {
            var count = m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, Invariant) : 1;
            var unit = m.Groups["unit"].Value.ToLowerInvariant().TrimEnd('s');
            var days = count * unit switch { "day" => 1, "week" => 7, "month" => 30, "quarter" => 90, "year" => 365, _ => 1 };
            var future = m.Groups["dir"].Value.ToLowerInvariant() is "next" or "coming" or "upcoming";
            ranges.Add(new TimeRange(days, future, m.Value));
        }

        return ranges;
    }

    private static CallVolume ToVolume(Match m)
    {
        var count = (double)(Number(m.Groups["num"].Value) * Scale(m.Groups["scale"].Value));
        var perMonth = Period(m.Groups["p"].Value) switch
        {
            "day" => count * 30,
            "week" => count * 30 / 7,
            "year" => count / 12,
            "quarter" => count / 3,
            _ => count,
        };
        return new CallVolume(Math.Round(perMonth), m.Value.Trim());
    }

    private static string? Period(string word) => word.ToLowerInvariant() switch
    {
        "" => null,
        "day" or "daily" or "a day" => "day",
        "week" or "weekly" or "wk" => "week",
        "quarter" or "quarterly" => "quarter",
        "year" or "yearly" or "annually" or "annual" or "yr" or "annum" => "year",
        _ => "month",
    };

    private static decimal Number(string digits) => decimal.Parse(digits.Replace(",", "", StringComparison.Ordinal), Invariant);

    private static decimal Scale(string suffix) => suffix.ToLowerInvariant() switch
    {
        "k" or "thousand" => 1_000m,
        "m" or "mm" or "million" => 1_000_000m,
        "b" or "bn" or "billion" => 1_000_000_000m,
        _ => 1m,
    };

    private static string Normalise(string model) => WhiteSpace().Replace(model.Trim().ToLowerInvariant(), "-");

    private static bool Inside(List<(int Start, int End)> spans, int index) => spans.Any(s => index >= s.Start && index < s.End);

    [GeneratedRegex(@"(?:[$€£]\s?(?<num>\d[\d,]*(?:\.\d+)?)\s?(?<scale>k|mm|m|bn|b|thousand|million|billion)?\b|(?<num>\d[\d,]*(?:\.\d+)?)\s?(?<scale>k|m|thousand|million)?\s?(?:usd|dollars|eur|euros|gbp)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Money();

    [GeneratedRegex(@"^\s*(?:(?:a|an|per|each|every|/)\s*)?(?<p>day|daily|week|weekly|wk|month|monthly|mo|quarter|quarterly|year|yearly|annually|annum|yr)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PeriodAfter();

    [GeneratedRegex(@"\b(?<p>daily|weekly|monthly|quarterly|yearly|annual|annually)\b[^$€£\d]*$", RegexOptions.IgnoreCase)]
    private static partial Regex PeriodBefore();

    [GeneratedRegex(@"(?<![\w.])(?<num>\d+(?:\.\d+)?)\s?(?<unit>ms|milliseconds?|msec|s|secs?|seconds?|min|mins|minutes?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Durations();

    [GeneratedRegex(@"\bp(?:50|90|95|99|99\.9)\b|\bmedian\b", RegexOptions.IgnoreCase)]
    private static partial Regex PercentileWord();

    [GeneratedRegex(@"\b(?:under|below|less than|at most|within|target|down to|(?:get|bring|reduce|cut|lower)\s+(?:it\s+|that\s+)?to|need|goal|sla|max(?:imum)?)\b[^.\d]*$|<\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TargetWords();

    [GeneratedRegex(@"(?<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(?:halve|halving|in half|by half)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Halve();

    [GeneratedRegex(@"(?<![\w.])(?<num>\d+(?:\.\d+)?)\s?(?:x|×|times|-fold|fold)(?!\w)", RegexOptions.IgnoreCase)]
    private static partial Regex Times();

    [GeneratedRegex(@"\b(?:grow|grows|growing|growth|increase|increases|rise|rises|up)\b(?:\s+(?:of|by|to))?\s+(?<num>\d+(?:\.\d+)?)\s?%", RegexOptions.IgnoreCase)]
    private static partial Regex GrowthPercent();

    [GeneratedRegex(@"\b(?:gpt[- ]?(?:4o|4\.1|4\.5|4|3\.5|5)(?:[- ](?:mini|nano|turbo))*|o[134](?:-mini|-pro)?|chatgpt|claude(?:[- ](?:\d(?:\.\d)?|opus|sonnet|haiku|instant)(?![\w.]))*|(?:opus|sonnet|haiku)(?:[- ]\d(?:\.\d)?)?|gemini(?:[- ](?:\d(?:\.\d)?|pro|flash|lite|ultra)(?![\w.]))*|llama[- ]?\d(?:\.\d)?(?:[- ]\d+b)?|mistral(?:[- ](?:large|medium|small|nemo))?|mixtral(?:[- ]8x\d+b)?|deepseek(?:[- ](?:v3|r1|chat|coder))?|qwen[- ]?\d?(?:\.\d)?(?:[- ]\d+b)?)(?![\w.])", RegexOptions.IgnoreCase)]
    private static partial Regex Models();

    [GeneratedRegex(@"\b(?:openai|azure openai|azure|anthropic|google|vertex|gemini api|aws|bedrock|meta|mistral ai|cohere|together|groq|fireworks|deepseek)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ProviderNames();

    [GeneratedRegex(@"\b(?<dir>last|past|previous|next|coming|upcoming|this)\s+(?:(?<n>\d+)\s+)?(?<unit>days?|weeks?|months?|quarters?|years?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Range();

    [GeneratedRegex(@"(?<num>\d[\d,]*(?:\.\d+)?)\s?(?<scale>k|m|thousand|million|billion)?\s+(?:api\s+)?(?:calls|requests|queries|messages|conversations|completions|chats|prompts)\b(?:\s*(?:a|an|per|each|every|/)\s*(?<p>day|week|month|year|quarter))?", RegexOptions.IgnoreCase)]
    private static partial Regex Volumes();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
