import type { ApiClient } from '../api/ApiClient';
import type { CreatedIngestKey, IngestKey, IngestRecent } from './ingestTypes';

// The ingest routes the ingest page calls (docs/ingest.md#1-ingest-keys).

export const listKeys = (api: ApiClient, signal?: AbortSignal) => api.get<IngestKey[]>('/api/ingest/keys', { signal });

export const createKey = (api: ApiClient, name: string) => api.post<CreatedIngestKey>('/api/ingest/keys', { name });

export const revokeKey = (api: ApiClient, id: string) => api.delete<void>(`/api/ingest/keys/${encodeURIComponent(id)}`);

export const recentIngest = (api: ApiClient, signal?: AbortSignal) => api.get<IngestRecent>('/api/ingest/recent', { signal });
