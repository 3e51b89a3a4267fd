/**
 * Copies `text` with the Clipboard API. Where it is missing or refused (a page not served over HTTPS or
 * localhost, a denied permission), selects `fallback`'s text instead so the person can copy it with the
 * keyboard, and answers false.
 */
export async function copyText(text: string, fallback: Element | null): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no Clipboard API');
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallback) {
      const range = document.createRange();
      range.selectNodeContents(fallback);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}
