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
