// Shapes of the server's REST answers (docs/auth.md, docs/runs.md, docs/http-api.md).

export interface User {
  id: string;
  email: string | null;
  name: string;
  permissions: string[];
  created_at: string;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  refresh_expires_in: number;
  user: User;
}

export interface PublicConfig {
  environment: string;
  version: string;
  features: Record<string, boolean>;
  auth: { methods: string[] };
  limits?: { max_input_length?: number };
}

export interface Thread {
  id: string;
  thread_id: string;
  title: string;
  archived: boolean;
  created_at: string;
  updated_at: string;
}

export interface ThreadList {
  threads: Thread[];
  total: number;
  limit: number;
  offset: number;
}

export interface Message {
  id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  created_at: string;
  run_id: string | null;
}

export interface MessageList {
  messages: Message[];
  thread_id: string;
  total: number;
  limit: number;
  offset: number;
}

export interface RunUsage {
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'stopped';

export interface RunSummary {
  run_id: string;
  thread_id: string;
  agent: string;
  status: RunStatus;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  error: { error_code: string; message: string } | null;
  usage: RunUsage | null;
}

export interface RunList {
  runs: RunSummary[];
  thread_id: string;
  limit: number;
  offset: number;
}

/** One run event, flat, as stored and sent (docs/runs.md#2-events). */
export interface RunEvent {
  type: string;
  timestamp: string;
  run_id: string;
  thread_id: string;
  seq: number;
  agent_name?: string;
  [field: string]: unknown;
}

export interface RunEvents {
  run_id: string;
  status: RunStatus;
  events: RunEvent[];
  last_seq: number;
  complete: boolean;
}
