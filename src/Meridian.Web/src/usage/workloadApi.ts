import type { ApiClient } from '../api/ApiClient';
import { ApiError } from '../api/ApiError';
import type { LatencyProfileData, SummaryAnswer, SyntheticAnswer, SyntheticRequest } from './workloadTypes';

// The workload routes the usage page calls (docs/workloads.md#2-api); the import goes through
// uploadUsageFile.ts, which reports upload progress.

export const usageSummary = (api: ApiClient, signal?: AbortSignal) => api.get<SummaryAnswer>('/api/workloads/summary', { signal });

export const generateSynthetic = (api: ApiClient, request: SyntheticRequest) => api.post<SyntheticAnswer>('/api/workloads/synthetic', request);

export const deleteAllRecords = (api: ApiClient) => api.delete<void>('/api/workloads');

interface ToolCallAnswer<T> {
  result?: { structuredContent?: T; isError?: boolean; content?: { text?: string }[] };
  error?: { code: number; message: string };
}

/**
 * Latency percentiles per model from the `latency_profile` tool over MCP (docs/agents.md#6-mcp): the summary
 * route gives only average latency. One stateless JSON-RPC call with the same Bearer token as the REST API.
 */
export async function latencyProfile(api: ApiClient, signal?: AbortSignal): Promise<LatencyProfileData> {
  const answer = await api.post<ToolCallAnswer<LatencyProfileData>>(
    '/mcp',
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'latency_profile', arguments: {} } },
    { signal },
  );
  const data = answer.result?.structuredContent;
  if (answer.error || answer.result?.isError || !data) {
    throw new ApiError(200, 'TOOL_FAILED', answer.error?.message ?? answer.result?.content?.[0]?.text ?? 'The latency profile is not available.');
  }
  return data;
}
