/** Runs `work` while holding a lock shared by every tab of this origin, so two tabs never spend the same refresh
 * token (the server treats that as reuse and revokes the whole session, docs/auth.md). Uses the Web Locks API;
 * where it is missing (a plain-HTTP origin other than localhost) a best-effort localStorage lock stands in. */
export async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks) {
    return locks.request('meridian-token-refresh', { mode: 'exclusive' }, work) as Promise<T>;
  }
  return withStorageLock(work);
}

const LOCK_KEY = 'meridian.refresh-lock';
const LOCK_TTL_MS = 10_000;

async function withStorageLock<T>(work: () => Promise<T>): Promise<T> {
  const owner = Math.random().toString(36).slice(2);
  const deadline = Date.now() + LOCK_TTL_MS;
  for (;;) {
    const held = readLock();
    if (!held || held.until < Date.now() || Date.now() > deadline) {
      localStorage.setItem(LOCK_KEY, JSON.stringify({ owner, until: Date.now() + LOCK_TTL_MS }));
      await sleep(30);
      if (readLock()?.owner === owner) break;
    }
    await sleep(100);
  }
  try {
    return await work();
  } finally {
    if (readLock()?.owner === owner) localStorage.removeItem(LOCK_KEY);
  }
}

function readLock(): { owner: string; until: number } | null {
  try {
    return JSON.parse(localStorage.getItem(LOCK_KEY) ?? 'null') as { owner: string; until: number } | null;
  } catch {
    return null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
