import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useServices, useThreadRunIds } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { navigate } from '../router/router';
import { isActive } from '../runs/runState';
import { RunView } from '../runs/RunView';
import { ErrorAlert } from '../shell/ErrorAlert';
import { DEFAULT_MAX_MESSAGE_LENGTH } from './charCounter';
import { Composer, type ComposerHandle } from './Composer';
import { ExampleRequests } from './ExampleRequests';
import { Markdown } from '../markdown/Markdown';
import { ThreadSidebar } from './ThreadSidebar';
import { useSendMessage } from './useSendMessage';
import { useStickToBottom } from './useStickToBottom';
import { useThreadHistory } from './useThreadHistory';

type Item =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'assistant'; key: string; text: string }
  | { kind: 'run'; key: string; runId: string; text: string | null };

/** /chat and /chat/{threadId}: the thread list, the thread's messages and runs, and the composer. */
export function ChatPage({ threadId }: { threadId: string | null }) {
  const { runs, threads, config, notices } = useServices();
  const history = useThreadHistory(threadId);
  const runIds = useThreadRunIds(threadId);
  const { sent, send, stop, error: sendError } = useSendMessage();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [maxLength, setMaxLength] = useState(DEFAULT_MAX_MESSAGE_LENGTH);
  const [busy, setBusy] = useState(false);
  const composer = useRef<ComposerHandle>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const toBottom = useStickToBottom(scroller, content);
  const title = useSyncExternalStore(
    (l) => threads.subscribe(l),
    () => threads.list.find((t) => t.id === threadId)?.title ?? '',
  );

  useEffect(() => {
    void config.then((c) => c?.limits?.max_input_length && setMaxLength(c.limits.max_input_length));
  }, [config]);

  useEffect(() => {
    document.title = `${title || 'Chat'} · Meridian`;
  }, [title]);

  // Any run of this thread still going (its status changes re-render through the store's any-listener).
  const activeRun = useSyncExternalStore(
    (l) => runs.subscribeAll(l),
    () => runIds.some((id) => {
      const run = runs.get(id);
      return run !== undefined && isActive(run);
    }),
  );

  const items = useMemo(() => {
    const list: Item[] = [];
    const linked = new Set<string>();
    for (const m of history.messages) {
      if (m.role === 'user') {
        list.push({ kind: 'user', key: m.id, text: m.content });
        if (m.run_id) {
          linked.add(m.run_id);
          list.push({ kind: 'run', key: m.run_id, runId: m.run_id, text: m.content });
        }
      } else if (m.role === 'assistant' && (!m.run_id || !runs.get(m.run_id))) {
        list.push({ kind: 'assistant', key: m.id, text: m.content });
      }
    }
    for (const s of sent) {
      if (s.threadId !== threadId || (s.runId && linked.has(s.runId))) continue;
      list.push({ kind: 'user', key: `sent-${s.key}`, text: s.text });
      if (s.runId) {
        linked.add(s.runId);
        list.push({ kind: 'run', key: s.runId, runId: s.runId, text: s.text });
      }
    }
    // Runs started elsewhere (another tab, the API) that the loaded history does not show yet.
    for (const runId of runIds) {
      if (!linked.has(runId)) list.push({ kind: 'run', key: runId, runId, text: runs.get(runId)?.request ?? null });
    }
    return list;
  }, [history.messages, sent, runIds, threadId, runs]);

  // A run from elsewhere appeared: fetch the messages again to show its user message.
  const orphans = items.filter((i) => i.kind === 'run' && !history.messages.some((m) => m.run_id === i.runId) && !sent.some((s) => s.runId === i.runId)).length;
  const { reloadMessages } = history;
  useEffect(() => {
    if (orphans === 0) return;
    const timer = setTimeout(reloadMessages, 800);
    return () => clearTimeout(timer);
  }, [orphans, reloadMessages]);

  const sendText = async (text: string): Promise<boolean> => {
    setBusy(true);
    try {
      let target = threadId;
      if (!target) {
        try {
          target = (await threads.create()).id;
        } catch (e) {
          notices.error(errorText(e).code, errorText(e).message);
          return false;
        }
        navigate(`/chat/${encodeURIComponent(target)}`);
      }
      toBottom();
      return await send(target, text);
    } finally {
      setBusy(false);
    }
  };

  const openThread = (id: string) => {
    navigate(`/chat/${encodeURIComponent(id)}`);
    setSidebarOpen(false);
    // After a new thread, the next thing to do is to write in it.
    requestAnimationFrame(() => composer.current?.focus());
  };

  const empty = items.length === 0 && !history.error && (threadId === null || history.loadedFor === threadId);

  return (
    <div className="chat-layout">
      <ThreadSidebar
        currentId={threadId}
        open={sidebarOpen}
        onNewThread={openThread}
        onNavigate={() => setSidebarOpen(false)}
        onClose={() => {
          setSidebarOpen(false);
          toggle.current?.focus();
        }}
      />
      <main id="main" className="chat-main">
        <div className="chat-toolbar">
          <button type="button" ref={toggle} className="secondary sidebar-toggle" aria-expanded={sidebarOpen} aria-controls="thread-sidebar" onClick={() => setSidebarOpen((o) => !o)}>
            Threads
          </button>
          <h1 className="thread-heading">{threadId ? title || 'Untitled' : 'New conversation'}</h1>
        </div>
        <section aria-label="Messages" data-testid="messages" className="messages" ref={scroller} aria-busy={history.loading || undefined}>
          <div ref={content} className="messages-inner">
            {history.error && <ErrorAlert code={history.error.code} message={`The thread could not be loaded: ${history.error.message}`} />}
            {empty && <ExampleRequests disabled={busy} onPick={(text) => void sendText(text)} />}
            {items.map((item) =>
              item.kind === 'user' ? (
                <div key={item.key} data-testid="user-message" className="user-message">
                  <Markdown text={item.text} />
                </div>
              ) : item.kind === 'assistant' ? (
                <div key={item.key} className="assistant-message">
                  <Markdown text={item.text} />
                </div>
              ) : (
                <RunView key={item.key} runId={item.runId} onRetry={item.text ? () => void sendText(item.text!) : undefined} />
              ),
            )}
          </div>
        </section>
        <Composer
          ref={composer}
          threadId={threadId}
          maxLength={maxLength}
          canStop={activeRun}
          busy={busy}
          error={sendError}
          onSend={sendText}
          onStop={() => threadId && stop(threadId)}
        />
      </main>
    </div>
  );
}
