import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Thread } from '../api/types';
import { Link } from '../router/Link';
import { threadTitle } from './threadTitle';

interface Props {
  thread: Thread;
  current: boolean;
  onRename: (id: string, title: string) => Promise<boolean>;
  onArchive: (id: string) => void;
  onOpen: () => void;
}

export function ThreadItem({ thread, current, onRename, onArchive, onOpen }: Props) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const shown = threadTitle(thread);

  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) input.current?.select();
    // Leaving the form, focus goes back where the person started.
    else if (wasEditing.current) renameButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const finish = () => setEditing(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = title.trim();
    if (!next || next === thread.title) return finish();
    if (await onRename(thread.id, next)) finish();
  };

  return (
    <li data-testid="thread-item" data-thread-id={thread.id} className={`thread-item${current ? ' current' : ''}`}>
      {editing ? (
        <form className="rename-form" onSubmit={(e) => void submit(e)}>
          <label htmlFor={`rename-${thread.id}`} className="visually-hidden">
            New title for {shown}
          </label>
          <input
            id={`rename-${thread.id}`}
            ref={input}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && finish()}
          />
          <button type="submit" className="small primary">
            Save
          </button>
          <button type="button" className="small secondary" onClick={finish}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <Link href={`/chat/${encodeURIComponent(thread.id)}`} aria-current={current ? 'page' : undefined} className="thread-link" onClick={onOpen}>
            {shown}
          </Link>
          <span className="thread-actions">
            <button
              type="button"
              ref={renameButton}
              className="small secondary"
              aria-label={`Rename ${shown}`}
              onClick={() => {
                setTitle(thread.title);
                setEditing(true);
              }}
            >
              Rename
            </button>
            <button type="button" className="small secondary" aria-label={`Archive ${shown}`} onClick={() => onArchive(thread.id)}>
              Archive
            </button>
          </span>
        </>
      )}
    </li>
  );
}
