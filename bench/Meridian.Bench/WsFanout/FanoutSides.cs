namespace Meridian.Bench.WsFanout;

/// <summary>The two sides of a comparison with their client sockets.</summary>
internal sealed record FanoutSides(MeridianFanoutHost Meridian, FanoutReceivers MeridianClients, BaselineHost Baseline, FanoutReceivers BaselineClients)
{
    /// <summary>Sockets either side saw closed during the run.</summary>
    public int Closed => MeridianClients.Closed + BaselineClients.Closed;

    /// <summary>One phase of each side back to back: the baseline first in even rounds, Meridian first in odd ones.</summary>
    public async Task RoundAsync(int round, double? rate, TimeSpan warm, TimeSpan measure, List<FanoutPhase> meridian, List<FanoutPhase> baseline)
    {
        if (round % 2 == 0)
        {
            baseline.Add(await Baseline.PhaseAsync(BaselineClients, rate, warm, measure));
            meridian.Add(await Meridian.PhaseAsync(MeridianClients, rate, warm, measure));
        }
        else
        {
            meridian.Add(await Meridian.PhaseAsync(MeridianClients, rate, warm, measure));
            baseline.Add(await Baseline.PhaseAsync(BaselineClients, rate, warm, measure));
        }
    }
}
