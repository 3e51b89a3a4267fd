import { memo, useMemo } from 'react';
import { renderMarkdown } from './renderMarkdown';
import { splitBlocks } from './splitBlocks';

interface Props {
  text: string;
  className?: string;
  testId?: string;
}

/** Rendered, sanitised Markdown (renderMarkdown runs DOMPurify on everything it returns). Each top-level
 * block renders on its own, so text streaming into the last block leaves the others untouched. */
export const Markdown = memo(function Markdown({ text, className, testId }: Props) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className={`markdown ${className ?? ''}`} data-testid={testId}>
      {blocks.map((block, i) => (
        <Block key={i} text={block} />
      ))}
    </div>
  );
});

const Block = memo(function Block({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});
