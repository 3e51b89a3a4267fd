import { useCallback, useEffect, useState } from 'react';
import { runEvents, threadMessages, threadRuns } from '../api/endpoints';
import type { Message } from '../api/types';
import { errorText } from '../app/errorText';
import { useServices } from '../app/ServicesContext';
import { isActive } from '../runs/runState';

// The most messages one request may ask for (GET /api/threads/{id}/messages, limit 1–100).
const PAGE = 100;

export interface ThreadHistory {
  messages: readonly Message[];
  loading: boolean;
  /** The thread whose history has been loaded (null: none yet). */
  loadedFor: string | null;
  error: { code: string; message: string } | null;
  reloadMessages: () => void;
}

/** A thread's messages and past runs from REST (docs/runs.md): the latest messages, each run's summary and its
 * events into the run store (de-duplicated by seq with whatever the socket delivers), and every unfinished run
 * resumed on the socket from its last seq. */
export function useThreadHistory(threadId: string | null): ThreadHistory {
  const { api, runs, runSync } = useServices();
  const [messages, setMessages] = useState<readonly Message[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ThreadHistory['error']>(null);
  const [generation, setGeneration] = useState(0);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);

  useEffect(() => {
    setMessages([]);
    setError(null);
  }, [threadId]);

  useEffect(() => {
    if (!threadId) return;
    let live = true;
    setLoading(true);
    (async () => {
      let page = await threadMessages(api, threadId, PAGE, 0);
      if (page.total > PAGE) page = await threadMessages(api, threadId, PAGE, page.total - PAGE);
      if (!live) return;
      setMessages(page.messages);
      setLoadedFor(threadId);
      const list = await threadRuns(api, threadId, 50);
      if (!live) return;
      // A run shows once its events are in (its article never claims "completed" with nothing under it); the
      // summary then adds what only it knows. A run whose events cannot be read shows from its summary alone.
      await Promise.all(
        list.runs.map(async (summary) => {
          const known = runs.get(summary.run_id);
          let lastSeq = 0;
          if (!known || known.appliedSeq === 0 || isActive(known)) {
            const answer = await runEvents(api, summary.run_id, known?.appliedSeq ?? 0).catch(() => null);
            if (!live) return;
            if (answer) {
              runs.push(answer.events, false);
              runs.flush();
              lastSeq = answer.last_seq;
            }
          }
          // A long history may take a few frames to apply: its own terminal event then says how it ended.
          if ((runs.get(summary.run_id)?.appliedSeq ?? 0) >= lastSeq) runs.summary(summary);
          runSync.follow(summary.run_id);
        }),
      );
    })()
      .catch((e) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, runs, runSync, threadId, generation]);

  const reloadMessages = useCallback(() => setGeneration((g) => g + 1), []);
  return { messages, loading, loadedFor, error, reloadMessages };
}
