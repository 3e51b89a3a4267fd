import { describe, expect, it } from 'vitest';
import type { TokenAnswer } from '../api/types';
import { SessionManager } from './SessionManager';
import { SESSION_KEY } from './StoredSession';

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

/** One lock for every "tab", like navigator.locks: callers wait in turn. */
function sharedLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function answer(n: number, expiresIn = 900): TokenAnswer {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_expires_in: 604800,
    user: { id: 'user_1', email: 'ada@example.com', name: 'Ada', permissions: ['chat'], created_at: '' },
  };
}

/** A server that rotates refresh tokens and, like Meridian, revokes the family when one is presented twice. */
function fakeServer() {
  const spent = new Set<string>();
  let issued = 1;
  let revoked = false;
  const calls: string[] = [];
  const fetchFn = (async (_url: string, init?: RequestInit) => {
    const token = JSON.parse(String(init?.body)).refresh_token as string;
    calls.push(token);
    await new Promise((r) => setTimeout(r, 5));
    if (revoked || spent.has(token)) {
      revoked = true;
      return new Response(JSON.stringify({ error_code: 'INVALID_TOKEN', detail: 'reused' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
    }
    spent.add(token);
    return new Response(JSON.stringify(answer(++issued)), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return { fetchFn, calls, revoked: () => revoked };
}

describe('SessionManager', () => {
  it('two tabs refreshing at once spend the refresh token once and both end with the new tokens', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    const lock = sharedLock();
    let now = 0;
    const tabA = new SessionManager(storage, server.fetchFn, () => now, lock);
    tabA.signIn(answer(1));
    const tabB = new SessionManager(storage, server.fetchFn, () => now, lock);
    now = 14.5 * 60_000;

    const [a, b] = await Promise.all([tabA.accessToken(), tabB.accessToken()]);

    expect(server.calls).toEqual(['refresh-1']);
    expect(server.revoked()).toBe(false);
    expect(a).toBe('access-2');
    expect(b).toBe('access-2');
    expect(JSON.parse(storage.getItem(SESSION_KEY)!).refreshToken).toBe('refresh-2');
  });

  it('without the shared lock the same race revokes the session (what the lock prevents)', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    let now = 0;
    const noLock = <T>(work: () => Promise<T>) => work();
    const tabA = new SessionManager(storage, server.fetchFn, () => now, noLock);
    tabA.signIn(answer(1));
    const tabB = new SessionManager(storage, server.fetchFn, () => now, noLock);
    now = 14.5 * 60_000;

    await Promise.all([tabA.accessToken(), tabB.accessToken()]);

    expect(server.revoked()).toBe(true);
  });

  it('uses a fresh token as it is, without refreshing', async () => {
    const server = fakeServer();
    const session = new SessionManager(new MemoryStorage(), server.fetchFn, () => 0, sharedLock());
    session.signIn(answer(1));

    expect(await session.accessToken()).toBe('access-1');
    expect(server.calls).toEqual([]);
  });

  it('a refused refresh ends the session and says it expired', async () => {
    const storage = new MemoryStorage();
    const fetchFn = (async () => new Response(JSON.stringify({ error_code: 'INVALID_TOKEN' }), { status: 401 })) as unknown as typeof fetch;
    let now = 0;
    const session = new SessionManager(storage, fetchFn, () => now, sharedLock());
    session.signIn(answer(1));
    const reasons: (string | undefined)[] = [];
    session.subscribe((current, reason) => reasons.push(current ? 'signed-in' : reason));
    now = 16 * 60_000;

    expect(await session.accessToken()).toBeNull();
    expect(session.current).toBeNull();
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(reasons).toEqual(['expired']);
  });

  it('keeps the tokens when the server cannot be reached, to try again', async () => {
    const fetchFn = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    let now = 0;
    const session = new SessionManager(new MemoryStorage(), fetchFn, () => now, sharedLock());
    session.signIn(answer(1));
    now = 14.5 * 60_000;

    expect(await session.accessToken()).toBe('access-1');
    expect(session.current?.refreshToken).toBe('refresh-1');
  });
});
