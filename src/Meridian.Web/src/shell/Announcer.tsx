import { useSyncExternalStore } from 'react';
import { useServices } from '../app/ServicesContext';

/** The polite live region that announces run status changes to screen readers. */
export function Announcer() {
  const { notices } = useServices();
  const text = useSyncExternalStore((l) => notices.subscribe(l), () => notices.announced);
  return (
    <div role="status" aria-live="polite" className="visually-hidden" data-testid="announcer">
      {text}
    </div>
  );
}
