import { memo, useMemo } from 'react';
import { renderMarkdown } from './renderMarkdown';

interface Props {
  text: string;
  className?: string;
  testId?: string;
}

/** Rendered, sanitised Markdown (renderMarkdown runs DOMPurify on everything it returns). */
export const Markdown = memo(function Markdown({ text, className, testId }: Props) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={`markdown ${className ?? ''}`} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
});
