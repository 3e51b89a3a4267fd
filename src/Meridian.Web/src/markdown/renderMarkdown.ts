import DOMPurify from 'dompurify';
import { marked } from 'marked';

let hooked = false;

/**
 * Markdown (from the model or from a user) to HTML that is safe to insert: marked renders, DOMPurify removes
 * scripts, event handlers, `javascript:` and other unsafe URLs, styles and forms. This is the only way HTML
 * from text reaches the page (see Markdown.tsx).
 */
export function renderMarkdown(text: string): string {
  if (!hooked) {
    hooked = true;
    // Links leave the app in a new tab and tell the target nothing about it.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
  }
  const html = marked.parse(text, { async: false, gfm: true }) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
  });
}
