import { useSyncExternalStore } from 'react';
import { useServices } from '../app/ServicesContext';
import { ErrorAlert } from './ErrorAlert';

/** Errors that belong to no one place on the page (a socket error frame, a failed background request). */
export function NoticeList() {
  const { notices } = useServices();
  const list = useSyncExternalStore((l) => notices.subscribe(l), () => notices.list);
  if (list.length === 0) return null;
  return (
    <div className="notices">
      {list.map((n) => (
        <ErrorAlert key={n.id} code={n.code} message={n.message} onDismiss={() => notices.dismiss(n.id)} />
      ))}
    </div>
  );
}
