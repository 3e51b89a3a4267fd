import { ApiError } from '../api/ApiError';
import type { TokenAnswer } from '../api/types';
import { withRefreshLock } from './refreshLock';
import { isFresh, refreshDelayMs } from './refreshSchedule';
import { fromTokenAnswer, readSession, SESSION_KEY, type StoredSession } from './StoredSession';

export type SignOutReason = 'signed_out' | 'expired';
type Listener = (session: StoredSession | null, reason?: SignOutReason) => void;

/**
 * The signed-in session of this browser, shared by its tabs through localStorage. It refreshes the access token
 * shortly before it expires (rotation: each refresh token works once), under a lock shared by the tabs, and
 * re-reads the stored tokens inside the lock, so only one tab spends a refresh token and the others pick up the
 * result (docs/auth.md#1-flows; docs/ui.md#4-tokens).
 */
export class SessionManager {
  private session: StoredSession | null;
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<StoredSession | null> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly fetchFn: typeof fetch,
    private readonly now: () => number = Date.now,
    private readonly lock: <T>(work: () => Promise<T>) => Promise<T> = withRefreshLock,
  ) {
    this.session = readSession(storage);
    if (typeof window !== 'undefined') {
      // Another tab signed in, refreshed or signed out.
      window.addEventListener('storage', (e) => {
        if (e.key === SESSION_KEY || e.key === null) this.adopt(readSession(this.storage), 'signed_out');
      });
    }
    this.schedule();
  }

  get current(): StoredSession | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(answer: TokenAnswer): void {
    this.store(fromTokenAnswer(answer, this.now()));
  }

  /** Ends the session here and on the server (which revokes the token and its refresh family). */
  async signOut(): Promise<void> {
    const session = this.session;
    this.store(null, 'signed_out');
    if (!session) return;
    try {
      await this.fetchFn('/auth/logout', {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
    } catch {
      // Offline: the tokens are gone from this browser, and they expire by themselves.
    }
  }

  /** The session ended on the server (a refresh was refused, or a token was revoked). */
  expire(): void {
    this.store(null, 'expired');
  }

  /** A usable access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    if (isFresh(session.expiresAt, this.now(), session.issuedAt)) return session.accessToken;
    return (await this.refresh(session.refreshToken))?.accessToken ?? null;
  }

  /**
   * Exchanges the refresh token for a new pair. `seen` is the refresh token the caller saw: when the stored one
   * differs inside the lock, another tab already refreshed and its result is used as it is.
   */
  refresh(seen: string): Promise<StoredSession | null> {
    this.inflight ??= this.lock(() => this.refreshLocked(seen)).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refreshLocked(seen: string): Promise<StoredSession | null> {
    const stored = readSession(this.storage);
    if (!stored) {
      this.adopt(null, 'expired');
      return null;
    }
    if (stored.refreshToken !== seen) {
      this.adopt(stored);
      return stored;
    }
    let response: Response;
    try {
      response = await this.fetchFn('/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: stored.refreshToken }),
      });
    } catch {
      // Offline: keep the tokens and try again soon; the access token may still have a little time.
      this.schedule(15_000);
      return stored;
    }
    if (response.ok) {
      const next = fromTokenAnswer((await response.json()) as TokenAnswer, this.now());
      this.store(next);
      return next;
    }
    const problem = await ApiError.fromResponse(response);
    if (problem.status === 401 || problem.status === 403) {
      this.store(null, 'expired');
      return null;
    }
    this.schedule(15_000);
    return stored;
  }

  private store(session: StoredSession | null, reason?: SignOutReason): void {
    if (session) this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    else this.storage.removeItem(SESSION_KEY);
    this.adopt(session, reason);
  }

  private adopt(session: StoredSession | null, reason?: SignOutReason): void {
    const changed = session?.accessToken !== this.session?.accessToken;
    this.session = session;
    this.schedule();
    if (changed) for (const listener of this.listeners) listener(session, session ? undefined : reason);
  }

  private schedule(delayMs?: number): void {
    clearTimeout(this.timer);
    const session = this.session;
    if (!session) return;
    const delay = delayMs ?? refreshDelayMs(session.issuedAt, session.expiresAt, this.now());
    this.timer = setTimeout(() => void this.refresh(session.refreshToken), delay);
  }
}
