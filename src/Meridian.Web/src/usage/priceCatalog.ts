import type { PricesInfo } from './workloadTypes';

/** Where the catalog's prices came from, in words: the shipped catalog, or the loaded list's URL or file with its
 * model count (docs/workloads.md#3-the-price-catalog). Older servers send only the date: no source is shown. */
export function priceSource(prices: PricesInfo | undefined): string | null {
  if (!prices) return null;
  const models = `${prices.models.toLocaleString('en-US')} models`;
  return prices.source === 'shipped' ? `the catalog shipped with Meridian, ${models}` : `${prices.source}, ${models}`;
}
