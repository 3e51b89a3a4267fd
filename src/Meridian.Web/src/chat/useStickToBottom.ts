import { useEffect, useRef, type RefObject } from 'react';

/** Keeps a scrolling container at its bottom while its content grows (a streaming answer), unless the person
 * scrolled up to read something: then nothing moves under them. */
export function useStickToBottom(container: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>): () => void {
  const atBottom = useRef(true);

  useEffect(() => {
    const box = container.current;
    const inner = content.current;
    if (!box || !inner) return;
    const onScroll = () => {
      atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    };
    box.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      if (atBottom.current) box.scrollTop = box.scrollHeight;
    });
    observer.observe(inner);
    return () => {
      box.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [container, content]);

  return () => {
    atBottom.current = true;
    const box = container.current;
    if (box) box.scrollTop = box.scrollHeight;
  };
}
