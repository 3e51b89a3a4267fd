// Drafts per thread, in localStorage: they survive an expired session, a reload and a sign-in in between.
const PREFIX = 'meridian.draft.';

export function loadDraft(threadId: string | null): string {
  try {
    return localStorage.getItem(PREFIX + (threadId ?? 'new')) ?? '';
  } catch {
    return '';
  }
}

export function saveDraft(threadId: string | null, text: string): void {
  try {
    if (text) localStorage.setItem(PREFIX + (threadId ?? 'new'), text);
    else localStorage.removeItem(PREFIX + (threadId ?? 'new'));
  } catch {
    // Storage full or disabled: the draft lives only in the page.
  }
}

/** Signing out on purpose forgets the drafts (someone else may use this browser next); an expired session
 * keeps them. */
export function clearDrafts(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}
