import { count, ms, pct, usd, utcDay } from './formatFigures';
import { priceSource } from './priceCatalog';
import type { PricesInfo, UsageSummary } from './workloadTypes';

/** The totals of the user's records and the date and source of the prices they were priced with. */
export function UsageTotals({ summary, pricesAsOf, prices }: { summary: UsageSummary; pricesAsOf: string; prices?: PricesInfo }) {
  const source = priceSource(prices);
  const period =
    summary.first_timestamp && summary.last_timestamp ? `${utcDay(summary.first_timestamp)} to ${utcDay(summary.last_timestamp)}` : '—';
  return (
    <>
      <dl className="usage-totals" data-testid="usage-totals">
        <Total
          term="Records"
          value={summary.requests === summary.records ? count(summary.records) : `${count(summary.records)} (${count(summary.requests)} calls)`}
        />
        <Total term="Period (UTC)" value={period} />
        <Total term="Total cost" value={usd(summary.total_cost_usd)} />
        <Total term="Tokens in / out" value={`${count(summary.input_tokens)} / ${count(summary.output_tokens)}`} />
        <Total term="Errors" value={`${count(summary.errors)} (${pct(summary.error_rate)})`} />
        <Total term="Average latency" value={ms(summary.avg_latency_ms)} />
      </dl>
      <p className="hint" data-testid="price-catalog-date">
        Records without a cost were priced with the price catalog of <time dateTime={pricesAsOf}>{pricesAsOf}</time>
        {source && <span data-testid="price-catalog-source"> ({source})</span>}.
      </p>
    </>
  );
}

function Total({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
