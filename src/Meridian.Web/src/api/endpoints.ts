import type { ApiClient } from './ApiClient';
import type { MessageList, PublicConfig, RunEvents, RunList, RunSummary, Thread, ThreadList, TokenAnswer } from './types';

// One function per REST route the app calls (docs/auth.md, docs/runs.md, docs/http-api.md).

export const publicConfig = (api: ApiClient) => api.get<PublicConfig>('/api/config/public', { auth: false });

export const login = (api: ApiClient, email: string, password: string) =>
  api.post<TokenAnswer>('/auth/login', { email, password }, { auth: false });

export const register = (api: ApiClient, email: string, password: string, name?: string) =>
  api.post<TokenAnswer>('/auth/register', { email, password, name: name || undefined }, { auth: false });

export const devLogin = (api: ApiClient) => api.post<TokenAnswer>('/auth/dev/login', {}, { auth: false });

export const listThreads = (api: ApiClient, limit = 100) => api.get<ThreadList>('/api/threads', { query: { limit } });

export const createThread = (api: ApiClient, title?: string) => api.post<Thread>('/api/threads', title ? { title } : {});

export const renameThread = (api: ApiClient, id: string, title: string) =>
  api.put<Thread>(`/api/threads/${encodeURIComponent(id)}`, { title });

export const archiveThread = (api: ApiClient, id: string) => api.delete<Thread>(`/api/threads/${encodeURIComponent(id)}`);

export const threadMessages = (api: ApiClient, id: string, limit = 100, offset = 0) =>
  api.get<MessageList>(`/api/threads/${encodeURIComponent(id)}/messages`, { query: { limit, offset } });

export const threadRuns = (api: ApiClient, id: string, limit = 20) =>
  api.get<RunList>(`/api/threads/${encodeURIComponent(id)}/runs`, { query: { limit } });

export const runEvents = (api: ApiClient, runId: string, afterSeq = 0) =>
  api.get<RunEvents>(`/api/runs/${encodeURIComponent(runId)}/events`, { query: { after_seq: afterSeq } });

export const cancelRun = (api: ApiClient, runId: string) => api.post<RunSummary>(`/api/runs/${encodeURIComponent(runId)}/cancel`);

/** Starts a run without waiting for it (used when the socket is down or the message is too big for one frame). */
export const startRun = (api: ApiClient, message: string, threadId: string) =>
  api.post<{ run_id: string; thread_id: string; status: string }>('/api/agents/execute', { message, thread_id: threadId }, { query: { wait: false } });
