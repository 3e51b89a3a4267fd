// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './renderMarkdown';

function render(markdown: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderMarkdown(markdown);
  return host;
}

describe('renderMarkdown', () => {
  it('renders Markdown: headings, emphasis, lists, tables', () => {
    const host = render('## Summary\n\n**Save** half.\n\n1) one\n2) two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');

    expect(host.querySelector('h2')?.textContent).toBe('Summary');
    expect(host.querySelector('strong')?.textContent).toBe('Save');
    expect(host.querySelectorAll('ol li')).toHaveLength(2);
    expect(host.querySelector('table td')?.textContent).toBe('1');
  });

  it('shows raw HTML as text: a script stays words, never an element', () => {
    const host = render('Hi <script>alert(1)</script> and <img src=x onerror="alert(2)"> and <b onclick="x()">b</b>');

    expect(host.querySelector('script, img, b')).toBeNull();
    expect(host.textContent).toContain('<script>alert(1)</script>');
    expect(host.innerHTML).not.toMatch(/<[a-z]+[^>]*\son\w+=/i);
  });

  it('keeps placeholders such as <model> visible', () => {
    expect(render('calls to <model> cost <amount>').textContent).toBe('calls to <model> cost <amount>\n');
  });

  it('drops javascript: and other script URLs from links and images', () => {
    const host = render('[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) ![x](javascript:alert(2)) [ok](https://example.com)');
    const links = [...host.querySelectorAll('a')];

    expect(links.map((a) => a.getAttribute('href'))).toEqual([null, null, 'https://example.com']);
    expect(host.querySelector('img')?.getAttribute('src') ?? null).toBeNull();
    expect(links[2].getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('removes event handlers and scripts that reach it as HTML despite escaping (defence in depth)', () => {
    const html = renderMarkdown('`<img src=x onerror=alert(1)>`\n\n```\n<script>alert(1)</script>\n```');
    const host = document.createElement('div');
    host.innerHTML = html;

    expect(host.querySelector('script, img')).toBeNull();
    expect(host.querySelector('code')?.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});
