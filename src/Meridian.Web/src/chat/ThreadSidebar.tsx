import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorText } from '../app/errorText';
import { useServices } from '../app/ServicesContext';
import { navigate } from '../router/router';
import { ThreadItem } from './ThreadItem';
import { threadTitle } from './threadTitle';

interface Props {
  currentId: string | null;
  open: boolean;
  onNewThread: (id: string) => void;
  onNavigate: () => void;
  /** Narrow screens: closes the overlay (button or Escape). */
  onClose: () => void;
}

/** The thread list: newest activity first, filter by title, new, rename and archive. */
export function ThreadSidebar({ currentId, open, onNewThread, onNavigate, onClose }: Props) {
  const { threads, notices } = useServices();
  const list = useSyncExternalStore((l) => threads.subscribe(l), () => threads.list);
  const loaded = useSyncExternalStore((l) => threads.subscribe(l), () => threads.loaded);
  const [filter, setFilter] = useState('');
  const newButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Opened on a narrow screen: focus moves into the list.
    if (open) newButton.current?.focus();
  }, [open]);

  useEffect(() => {
    threads.reload().catch((e) => notices.error(errorText(e).code, `Threads could not be loaded: ${errorText(e).message}`));
  }, [threads, notices]);

  const needle = filter.trim().toLowerCase();
  const shown = needle ? list.filter((t) => threadTitle(t).toLowerCase().includes(needle)) : list;

  const create = async () => {
    try {
      const thread = await threads.create();
      onNewThread(thread.id);
    } catch (e) {
      const { code, message } = errorText(e);
      notices.error(code, message);
    }
  };

  const rename = async (id: string, title: string) => {
    try {
      await threads.rename(id, title);
      return true;
    } catch (e) {
      const { code, message } = errorText(e);
      notices.error(code, message);
      return false;
    }
  };

  const archive = async (id: string) => {
    try {
      await threads.archive(id);
      if (id === currentId) navigate('/chat');
      newButton.current?.focus();
    } catch (e) {
      const { code, message } = errorText(e);
      notices.error(code, message);
    }
  };

  return (
    <nav aria-label="Threads" id="thread-sidebar" className={`sidebar${open ? ' open' : ''}`} onKeyDown={(e) => open && e.key === 'Escape' && onClose()}>
      <button type="button" className="secondary sidebar-close" onClick={onClose}>
        Close threads
      </button>
      <button type="button" ref={newButton} className="primary wide" onClick={() => void create()}>
        New thread
      </button>
      <label htmlFor="thread-filter" className="filter-label">
        Filter threads
      </label>
      <input id="thread-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
      <ul className="thread-list">
        {shown.map((thread) => (
          <ThreadItem
            key={thread.id}
            thread={thread}
            current={thread.id === currentId}
            onRename={rename}
            onArchive={(id) => void archive(id)}
            onOpen={onNavigate}
          />
        ))}
      </ul>
      {loaded && shown.length === 0 && <p className="muted small-text">{needle ? 'No thread matches.' : 'No threads yet.'}</p>}
    </nav>
  );
}
