import { ApiClient } from '../api/ApiClient';
import { publicConfig } from '../api/endpoints';
import type { PublicConfig } from '../api/types';
import { RunStore } from '../runs/RunStore';
import { RunSync } from '../runs/RunSync';
import { SessionManager } from '../session/SessionManager';
import { Connection } from '../socket/Connection';
import { isErrorFrame } from '../socket/frames';
import { errorText } from './errorText';
import { Notices } from './Notices';
import { ThreadsStore } from './ThreadsStore';

/** Everything the views share, created once per page (docs/ui.md#3-structure). */
export interface Services {
  session: SessionManager;
  api: ApiClient;
  connection: Connection;
  runs: RunStore;
  runSync: RunSync;
  threads: ThreadsStore;
  notices: Notices;
  config: Promise<PublicConfig | null>;
}

/** Error codes a socket may answer that the views handle where they happen (a send, a resume). */
const HANDLED_IN_PLACE = new Set(['RESUME_FAILED', 'RUN_NOT_FOUND', 'NO_ACTIVE_RUN', 'TOKEN_EXPIRED', 'AUTH_REQUIRED']);

export function createServices(): Services {
  const session = new SessionManager(localStorage, (input, init) => fetch(input, init));
  const api = new ApiClient(session);
  const connection = new Connection({
    url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    token: () => session.accessToken(),
  });
  const runs = new RunStore();
  const runSync = new RunSync(connection, runs, api);
  const threads = new ThreadsStore(api);
  const notices = new Notices();

  session.subscribe((current) => {
    if (current) {
      connection.start();
      connection.reauthenticate(current.accessToken);
    } else {
      connection.stop();
      runs.clear();
      threads.clear();
      notices.clear();
    }
  });
  if (session.current) connection.start();

  connection.onFrame((frame) => {
    if (isErrorFrame(frame) && frame.reply_to === undefined && !HANDLED_IN_PLACE.has(frame.error_code)) {
      const { code, message } = errorText(frame);
      notices.error(code, message);
    }
  });

  runs.onStatus((run) => {
    switch (run.status) {
      case 'running':
        notices.announce('Run started');
        break;
      case 'completed':
        notices.announce('Run completed');
        void threads.reload().catch(() => undefined);
        break;
      case 'stopped':
        notices.announce('Run stopped');
        break;
      case 'failed':
        notices.announce(`Run failed: ${run.error?.code ?? 'RUN_FAILED'}`);
        break;
      default:
        break;
    }
  });

  const config = publicConfig(api).catch(() => null);
  return { session, api, connection, runs, runSync, threads, notices, config };
}
