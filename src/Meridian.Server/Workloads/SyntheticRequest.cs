using System.Globalization;
using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>The body of <c>POST /api/workloads/synthetic</c>, checked. Unset values take the profile's defaults;
/// without a seed one is drawn and returned, so any workload can be generated again.</summary>
internal sealed record SyntheticRequest(
    SyntheticProfile Profile,
    int Days,
    int CallsPerDay,
    double GrowthPctPerMonth,
    long Seed,
    double ErrorRate,
    DateOnly EndDate,
    bool Replace)
{
    public const int MaxDays = 366;
    public const int MaxCallsPerDay = 1_000_000;

    public DateOnly StartDate => EndDate.AddDays(1 - Days);

    public static SyntheticRequest? Parse(JsonElement? body, DateOnly yesterday, Dictionary<string, string[]> errors)
    {
        var b = body is { ValueKind: JsonValueKind.Object } o ? o : default;
        var profile = SyntheticProfiles.Find(Field(b, "profile") is { ValueKind: JsonValueKind.String } p ? p.GetString() : null);
        if (profile is null)
        {
            Add("profile", $"one of {string.Join(", ", SyntheticProfiles.All.Select(x => x.Name))} is required");
        }

        var days = Integer("days", 30, 1, MaxDays);
        var calls = Integer("calls_per_day", profile?.CallsPerDay ?? 1, 1, MaxCallsPerDay);
        var growth = Real("growth_pct_per_month", profile?.GrowthPctPerMonth ?? 0, -90, 1000);
        var errorRate = Real("error_rate", profile?.ErrorRate ?? 0, 0, 0.5);
        var seed = Field(b, "seed") is { ValueKind: JsonValueKind.Number } s && s.TryGetInt64(out var given) ? given : (long?)null;
        if (seed is null && Field(b, "seed") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) })
        {
            Add("seed", "must be a whole number");
        }

        var endDate = yesterday;
        if (Field(b, "end_date") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } end
            && (end.ValueKind != JsonValueKind.String
                || !DateOnly.TryParseExact(end.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out endDate)))
        {
            Add("end_date", "must be a date such as 2026-11-20");
        }
        else if (endDate.DayNumber < days - 1)
        {
            // The first day would fall before the calendar's first (0001-01-01).
            Add("end_date", $"with {days} days the workload would start before 0001-01-01; give a later end_date or fewer days");
        }

        var replace = Field(b, "replace") switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => true,
            _ => Invalid("replace", "must be true or false"),
        };

        return errors.Count > 0 || profile is null
            ? null
            : new SyntheticRequest(profile, days, calls, growth, seed ?? Random.Shared.NextInt64(1, int.MaxValue), errorRate, endDate, replace);

        int Integer(string name, int fallback, int min, int max)
        {
            var value = Field(b, name);
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return fallback;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max)
            {
                return n;
            }

            Add(name, $"must be a whole number from {min} to {max}");
            return fallback;
        }

        double Real(string name, double fallback, double min, double max)
        {
            var value = Field(b, name);
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return fallback;
            }

            if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var x && x >= min && x <= max)
            {
                return x;
            }

            Add(name, $"must be a number from {min} to {max}");
            return fallback;
        }

        bool Invalid(string name, string reason)
        {
            Add(name, reason);
            return false;
        }

        void Add(string name, string reason) => errors[name] = [reason];
    }

    private static JsonElement Field(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? value : default;

    /// <summary>About how many records this will generate (before the day-to-day noise), to refuse huge requests.</summary>
    public long ExpectedRecords()
    {
        var mean = Profile.WeekdayWeights.Average();
        var total = 0.0;
        for (var d = 0; d < Days; d++)
        {
            total += CallsPerDay * Growth(d) * Profile.WeekdayWeights[Weekday(StartDate.AddDays(d))] / mean;
        }

        return (long)Math.Ceiling(total);
    }

    public double Growth(int day) => Math.Pow(1 + GrowthPctPerMonth / 100, day / 30.0);

    /// <summary>Monday = 0 … Sunday = 6.</summary>
    public static int Weekday(DateOnly date) => ((int)date.DayOfWeek + 6) % 7;
}
