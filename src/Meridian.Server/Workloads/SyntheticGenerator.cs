using System.Buffers.Binary;
using Meridian.Server.Pricing;

namespace Meridian.Server.Workloads;

/// <summary>Generates a realistic synthetic workload: calls spread over the profile's hours and weekdays, volume
/// growing by the monthly rate with day-to-day noise, each feature's model mix and token shapes, exact repeats of
/// popular prompts, latency from the model's typical latency with a long tail, errors (fast failures and timeouts),
/// costs from the catalog. The same request (seed included) always gives the same records.</summary>
internal sealed class SyntheticGenerator(PriceCatalog catalog)
{
    private const double MsPerHour = 3_600_000;

    public IEnumerable<UsageRecord> Generate(SyntheticRequest request)
    {
        var random = new SeededRandom(request.Seed);
        var profile = request.Profile;
        var features = profile.Features;
        var featureShares = features.Select(f => f.Share).ToArray();
        var models = features.Select(f => f.Models.Select(Resolve).ToArray()).ToArray();
        var modelShares = features.Select(f => f.Models.Select(m => m.Share).ToArray()).ToArray();
        var weekdayMean = profile.WeekdayWeights.Average();
        var unique = 0L;
        for (var day = 0; day < request.Days; day++)
        {
            var date = request.StartDate.AddDays(day);
            var expected = request.CallsPerDay * request.Growth(day) * profile.WeekdayWeights[SyntheticRequest.Weekday(date)] / weekdayMean;
            var calls = Math.Max(0, (int)Math.Round(expected * (1 + 0.08 * random.Normal())));
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            var times = new long[calls];
            for (var i = 0; i < calls; i++)
            {
                times[i] = midnight + (long)((random.Pick(profile.HourWeights) + random.NextDouble()) * MsPerHour);
            }

            Array.Sort(times);
            foreach (var time in times)
            {
                var f = random.Pick(featureShares);
                var feature = features[f];
                var price = models[f][random.Pick(modelShares[f])];
                string hash;
                long input;
                if (random.NextDouble() < feature.RepeatShare)
                {
                    // Popular prompts repeat most: squaring the draw favours the low indexes of the pool. A repeated
                    // prompt has the same hash and the same size every time.
                    var index = (int)(feature.PromptPool * Math.Pow(random.NextDouble(), 2));
                    var prompt = new SeededRandom(Mix(request.Seed, f + 1, index));
                    hash = Hash(prompt.NextUInt64());
                    input = Tokens(prompt, feature.Input);
                }
                else
                {
                    hash = Hash((ulong)Mix(request.Seed, 0, unique++));
                    input = Tokens(random, feature.Input);
                }

                var output = Tokens(random, feature.Output);
                var isError = random.NextDouble() < request.ErrorRate;
                double latency;
                if (isError)
                {
                    // Most failures are quick refusals (rate limits, bad requests); the rest time out.
                    latency = random.NextDouble() < 0.6 ? 80 + 500 * random.NextDouble() : 30_000 + 30_000 * random.NextDouble();
                    output = 0;
                }
                else
                {
                    latency = price.TypicalLatencyMs * (0.35 + 0.65 * output / 300.0) * Math.Exp(0.3 * random.Normal());
                    if (random.NextDouble() < 0.03)
                    {
                        latency *= 2 + 3 * random.NextDouble();
                    }
                }

                yield return new UsageRecord(
                    DateTimeOffset.FromUnixTimeMilliseconds(time), price.Model, price.Provider, input, output, Math.Round(latency, 1),
                    Math.Round(price.Cost(input, output), 8), isError, feature.Name, hash);
            }
        }
    }

    /// <summary>The catalog's model, or when a configured catalog lacks it the cheapest of the same tier.</summary>
    private ModelPrice Resolve(ModelChoice choice) =>
        catalog.Find(choice.Model)
        ?? catalog.Models.Where(m => m.QualityTier == choice.Tier).MinBy(m => m.InputPerMillion + m.OutputPerMillion)
        ?? catalog.Models[0];

    private static long Tokens(SeededRandom random, TokenShape shape) =>
        Math.Clamp((long)Math.Round(random.LogNormal(shape.Median, shape.Sigma)), shape.Min, shape.Max);

    private static long Mix(long seed, long a, long b) =>
        (long)new SeededRandom(seed ^ (a * 0x632BE59BD9B4E019L) ^ (b * 0x2545F4914F6CDD1DL)).NextUInt64();

    private static string Hash(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Convert.ToHexStringLower(bytes);
    }
}
