// Shapes of the /api/ingest answers (docs/ingest.md#1-ingest-keys).

export interface IngestKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** 201 from POST /api/ingest/keys: `key` is shown this once. */
export interface CreatedIngestKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
  created_at: string;
}

export interface KeyActivity {
  key_id: string;
  name: string;
  prefix: string;
  exports: number;
  accepted: number;
  rejected: number;
  ignored: number;
  last_at: string | null;
}

/** GET /api/ingest/recent: what arrived in the last hour. */
export interface IngestRecent {
  since: string;
  accepted: number;
  rejected: number;
  ignored: number;
  keys: KeyActivity[];
}
