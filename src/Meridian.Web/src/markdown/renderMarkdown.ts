import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// Raw HTML inside the Markdown is shown as the text it is, not interpreted: reports write placeholders such as
// "<model>", and nobody's text should become markup.
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

let configured = false;

/**
 * Markdown (from the model or from a user) to HTML that is safe to insert: marked renders (raw HTML escaped),
 * then DOMPurify removes whatever could still run or restyle the page: scripts, event handlers, `javascript:`
 * and other unsafe URLs, styles, forms. This is the only way HTML made from text reaches the page
 * (see Markdown.tsx).
 */
export function renderMarkdown(text: string): string {
  if (!configured) {
    configured = true;
    // Set once: passing the configuration to every sanitize() call re-parses it each time.
    DOMPurify.setConfig({
      USE_PROFILES: { html: true },
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
      FORBID_ATTR: ['style'],
    });
    // Links leave the app in a new tab and tell the target nothing about it.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
  }
  const html = markdown.parse(text) as string;
  return DOMPurify.sanitize(html);
}
