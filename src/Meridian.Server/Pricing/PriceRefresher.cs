using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Pricing;

/// <summary>Reads <c>Pricing:Source</c> at start and every <c>Pricing:RefreshMinutes</c>, and puts the catalog it
/// gives in use. A failed read, a malformed list or one that fails the checks keeps the catalog in use and logs a
/// warning: prices never disappear because a download broke (docs/workloads.md#3-the-price-catalog).</summary>
public sealed partial class PriceRefresher : BackgroundService
{
    private readonly CurrentPrices _prices;
    private readonly PriceListReader _reader;
    private readonly PricingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PriceRefresher> _logger;
    private readonly Counter<long> _failures;

    public PriceRefresher(CurrentPrices prices, PriceListReader reader, IOptions<PricingOptions> options, TimeProvider clock,
        IMeterFactory meters, ILogger<PriceRefresher> logger)
    {
        (_prices, _reader, _options, _clock, _logger) = (prices, reader, options.Value, clock, logger);
        var meter = meters.Create("Meridian.Pricing");
        _failures = meter.CreateCounter<long>("meridian.prices.refresh_failures", description: "Reads of Pricing:Source that kept the catalog in use.");
        meter.CreateObservableGauge("meridian.prices.age", Age, "s", "Time since the date of the price catalog in use.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Source is not { Length: > 0 } source)
        {
            return;
        }

        await Task.Yield();
        var known = PriceListValidators.None;
        var interval = TimeSpan.FromMinutes(_options.RefreshMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            known = await RefreshAsync(source, known, stoppingToken);
            try
            {
                await Task.Delay(interval, _clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One read; returns the validators of the list in use (unchanged unless a new list was accepted).</summary>
    private async Task<PriceListValidators> RefreshAsync(string source, PriceListValidators known, CancellationToken ct)
    {
        var shown = PriceListSource.Display(source);
        var read = await _reader.ReadAsync(source, known, ct);
        if (read.NotModified)
        {
            LogUnchanged(shown);
            return known;
        }

        var (catalog, problem) = read.Error is null ? Build(shown, read) : (null, read.Error);
        if (catalog is null)
        {
            _failures.Add(1);
            LogKept(shown, problem, _prices.Catalog.Source, _prices.Catalog.AsOf);
            return known;
        }

        _prices.Use(catalog);
        LogLoaded(shown, catalog.AsOf, catalog.Models.Count, catalog.CostingOnly.Count);
        return read.Validators;
    }

    private (PriceCatalog? Catalog, string? Problem) Build(string shown, PriceListRead read)
    {
        var (prices, error) = LiteLlmFormat.Parse(read.Body!);
        if (prices is null)
        {
            return (null, error);
        }

        var (catalog, errors) = _prices.With(new PriceList(shown, DateOnly.FromDateTime(read.Date.UtcDateTime), prices));
        return (catalog, catalog is null ? string.Join(" ", errors) : null);
    }

    private double Age() =>
        (_clock.GetUtcNow() - new DateTimeOffset(_prices.Catalog.AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).TotalSeconds;

    [LoggerMessage(EventId = 760, Level = LogLevel.Information,
        Message = "Prices loaded from {Source}, dated {AsOf}: {Curated} curated models updated or kept, {CostingOnly} more for costing only")]
    private partial void LogLoaded(string source, DateOnly asOf, int curated, int costingOnly);

    [LoggerMessage(EventId = 761, Level = LogLevel.Warning,
        Message = "The price list at {Source} was not used ({Problem}); the catalog in use stays {InUse}, dated {AsOf}")]
    private partial void LogKept(string source, string? problem, string inUse, DateOnly asOf);

    [LoggerMessage(EventId = 762, Level = LogLevel.Debug, Message = "The price list at {Source} has not changed")]
    private partial void LogUnchanged(string source);
}
