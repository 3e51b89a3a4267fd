/** When to refresh an access token: a minute before it expires (the server allows 30 s of clock skew, and the
 * socket needs the new token before the old one lapses), or at four fifths of a short lifetime, whichever is
 * sooner. A little jitter keeps the tabs of one user from waking at the same instant; the refresh lock decides
 * which of them actually refreshes (docs/ui.md#4-tokens). */
export const REFRESH_LEAD_MS = 60_000;

export function refreshDelayMs(issuedAtMs: number, expiresAtMs: number, nowMs: number, random: () => number = Math.random): number {
  const lifetime = Math.max(0, expiresAtMs - issuedAtMs);
  const lead = Math.min(REFRESH_LEAD_MS, lifetime / 5);
  const jitter = Math.min(5_000, lead / 4) * random();
  return Math.max(0, expiresAtMs - lead - jitter - nowMs);
}

/** A token counts as fresh while it has more than the lead time left. */
export function isFresh(expiresAtMs: number, nowMs: number, issuedAtMs = expiresAtMs - 15 * 60_000): boolean {
  const lead = Math.min(REFRESH_LEAD_MS, Math.max(0, expiresAtMs - issuedAtMs) / 5);
  return expiresAtMs - nowMs > lead;
}
