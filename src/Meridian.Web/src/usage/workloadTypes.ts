// Shapes of the /api/workloads answers (docs/workloads.md#2-api) and of the latency_profile tool's data
// (docs/agents.md#3-the-tools), as the usage page reads them.

/** The records of one model (with its provider) or one feature. `requests` counts the calls they stand for (a record
 * may aggregate several, docs/workloads.md#11-aggregated-records); errors and latencies are over calls. */
export interface UsageGroup {
  name: string;
  provider: string | null;
  records: number;
  requests: number;
  cost_usd: number;
  cost_share: number;
  input_tokens: number;
  output_tokens: number;
  errors: number;
  error_rate: number;
  avg_latency_ms: number;
  /** Latency percentiles, when the server's summary states them (otherwise the page asks latency_profile); null for a
   * model none of whose calls has a known latency (docs/workloads.md#12-unknown-latency). */
  p50_latency_ms?: number | null;
  p95_latency_ms?: number | null;
  p99_latency_ms?: number | null;
}

/** Cost of one model on one UTC day, when the server's summary states it (`by_day`). */
export interface DailyUsage {
  date: string;
  model: string;
  records: number;
  requests?: number;
  cost_usd: number;
  errors?: number;
}

export interface UsageSummary {
  records: number;
  requests: number;
  first_timestamp: string | null;
  last_timestamp: string | null;
  total_cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  errors: number;
  error_rate: number;
  avg_latency_ms: number;
  by_model: UsageGroup[];
  by_feature: UsageGroup[];
  by_day?: DailyUsage[];
}

/** The catalog that priced records without a cost (docs/workloads.md#3-the-price-catalog). */
export interface PricesInfo {
  /** `shipped`, a catalog file, or the loaded price list's URL or file. */
  source: string;
  as_of: string;
  models: number;
}

export interface SummaryAnswer {
  summary: UsageSummary;
  prices_as_of: string;
  prices?: PricesInfo;
}

export interface RowError {
  line: number;
  field: string | null;
  reason: string;
}

/** 200 from POST /api/workloads/import. */
export interface ImportAnswer {
  imported: number;
  skipped: number;
  error_count: number;
  row_errors: RowError[];
  format: string;
  replaced: boolean;
  detail: string;
}

export type SyntheticProfile = 'chatbot' | 'rag' | 'batch_summarisation' | 'agentic';

export interface SyntheticRequest {
  profile: SyntheticProfile;
  days?: number;
  calls_per_day?: number;
  growth_pct_per_month?: number;
  seed?: number;
  replace?: boolean;
}

export interface SyntheticAnswer {
  profile: string;
  seed: number;
  days: number;
  start_date: string;
  end_date: string;
  generated: number;
  replaced: boolean;
  summary: UsageSummary;
  prices_as_of: string;
}

export interface LatencyPercentiles {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export interface LatencyProfileData {
  overall: LatencyPercentiles;
  by_model: Record<string, LatencyPercentiles>;
  error_rate: number;
}
