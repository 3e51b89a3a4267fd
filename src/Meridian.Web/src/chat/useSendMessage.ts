import { startTransition, useCallback, useState } from 'react';
import { cancelRun, startRun } from '../api/endpoints';
import { errorText } from '../app/errorText';
import { useServices } from '../app/ServicesContext';
import { isActive } from '../runs/runState';
import { Connection } from '../socket/Connection';

/** A message this tab sent, shown at once, before the thread's history knows it. */
export interface SentMessage {
  key: number;
  threadId: string;
  text: string;
  runId: string | null;
}

let nextKey = 1;

/** Sending and stopping. A message goes as a `user_message` frame (the answer is `run_accepted`); when the
 * socket is not online, or the message is too big for one frame, it goes over REST instead
 * (POST /api/agents/execute?wait=false) and the run is followed on the socket all the same. */
export function useSendMessage() {
  const { api, connection, runs, runSync, threads } = useServices();
  const [sent, setSent] = useState<readonly SentMessage[]>([]);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const send = useCallback(
    async (threadId: string, text: string): Promise<boolean> => {
      setError(null);
      const key = nextKey++;
      // Rendering the new message is not urgent: the keystroke that sent it finishes first (no long task).
      startTransition(() => setSent((list) => [...list, { key, threadId, text, runId: null }]));
      try {
        const frame = { type: 'user_message', content: text, thread_id: threadId };
        const fits = Connection.frameBytes(frame) <= (connection.welcome?.max_message_size ?? 8192);
        let runId: string;
        if (connection.state === 'online' && fits) {
          const reply = await connection.request(frame);
          runId = String(reply.run_id);
          runs.ensure(runId, threadId);
        } else {
          const answer = await startRun(api, text, threadId);
          runId = answer.run_id;
          runs.ensure(runId, threadId);
          runSync.follow(runId);
        }
        setSent((list) => list.map((m) => (m.key === key ? { ...m, runId } : m)));
        void threads.reload().catch(() => undefined);
        return true;
      } catch (e) {
        setSent((list) => list.filter((m) => m.key !== key));
        setError(errorText(e));
        return false;
      }
    },
    [api, connection, runs, runSync, threads],
  );

  const stop = useCallback(
    (threadId: string) => {
      for (const runId of runs.runsOfThread(threadId)) {
        const run = runs.get(runId);
        if (!run || !isActive(run)) continue;
        if (!connection.send({ type: 'stop_agent', run_id: runId })) {
          cancelRun(api, runId).catch((e) => setError(errorText(e)));
        }
      }
    },
    [api, connection, runs],
  );

  return { sent, send, stop, error, clearError: () => setError(null) };
}
