import type { TokenAnswer, User } from '../api/types';

/** What the app keeps of a signed-in session, in localStorage under SESSION_KEY (docs/ui.md#4-tokens). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Milliseconds since the epoch, from the client's clock when the answer arrived. */
  issuedAt: number;
  expiresAt: number;
  user: User;
}

export const SESSION_KEY = 'meridian.session';

export function fromTokenAnswer(answer: TokenAnswer, nowMs: number): StoredSession {
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    issuedAt: nowMs,
    expiresAt: nowMs + answer.expires_in * 1000,
    user: answer.user,
  };
}

export function readSession(storage: Storage): StoredSession | null {
  try {
    const value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
    return value && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function writeSession(storage: Storage, session: StoredSession | null): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}
