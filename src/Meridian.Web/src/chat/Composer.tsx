import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ErrorAlert } from '../shell/ErrorAlert';
import { counterState } from './charCounter';
import { loadDraft, saveDraft } from './drafts';

interface Props {
  threadId: string | null;
  maxLength: number;
  canStop: boolean;
  busy: boolean;
  error: { code: string; message: string } | null;
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
}

export interface ComposerHandle {
  focus: () => void;
  setText: (text: string) => void;
}

/** The message box: Enter sends, Shift+Enter starts a new line; the counter measures against the server's
 * limit; the draft is kept per thread. Focus stays here after sending. */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ threadId, maxLength, canStop, busy, error, onSend, onStop }, ref) {
  // The text and the thread it is a draft of change together, so a draft is never saved under another thread.
  const [draft, setDraft] = useState(() => ({ threadId, text: loadDraft(threadId) }));
  if (draft.threadId !== threadId) setDraft({ threadId, text: loadDraft(threadId) });
  const text = draft.threadId === threadId ? draft.text : loadDraft(threadId);
  const area = useRef<HTMLTextAreaElement>(null);
  const counter = counterState(text, maxLength);

  const setText = useCallback(
    (next: string | ((current: string) => string)) =>
      setDraft((d) => ({ threadId: d.threadId, text: typeof next === 'function' ? next(d.text) : next })),
    [],
  );
  useEffect(() => saveDraft(draft.threadId, draft.text), [draft]);
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus(), setText }), [setText]);

  const send = async () => {
    const message = text.trim();
    if (!message || counter.over || busy) return;
    setText('');
    const sent = await onSend(message);
    if (!sent) setText((current) => current || message);
    area.current?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      {error && <ErrorAlert code={error.code} message={error.message} />}
      <label htmlFor="composer-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={area}
        value={text}
        rows={3}
        placeholder="Ask about your LLM costs or latency… (Enter sends, Shift+Enter for a new line)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={keyDown}
        aria-describedby="char-counter"
        aria-invalid={counter.over || undefined}
      />
      <div className="composer-bar">
        <span id="char-counter" data-testid="char-counter" className={`char-counter${counter.over ? ' over' : counter.near ? ' near' : ''}`} aria-live="off">
          {counter.label}
        </span>
        {counter.over && <span className="counter-note">The message is too long.</span>}
        <span className="spacer" />
        {canStop && (
          <button type="button" className="danger" onClick={onStop}>
            Stop
          </button>
        )}
        <button type="submit" className="primary" disabled={!text.trim() || counter.over || busy}>
          Send
        </button>
      </div>
    </form>
  );
});
