import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../socket/Connection';
import type { StoredSession } from '../session/StoredSession';
import type { RunState } from '../runs/runState';
import type { Services } from './services';

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

/** The signed-in session (null when signed out); re-renders on sign-in, refresh and sign-out in any tab. */
export function useSession(): StoredSession | null {
  const { session } = useServices();
  return useSyncExternalStore((l) => session.subscribe(l), () => session.current);
}

/** The REST client (Bearer token, refresh on 401, problems as ApiError). */
export function useApi() {
  return useServices().api;
}

export function useConnectionState(): ConnectionState {
  const { connection } = useServices();
  return useSyncExternalStore((l) => connection.onState(l), () => connection.state);
}

export function useRun(runId: string): RunState | undefined {
  const { runs } = useServices();
  return useSyncExternalStore((l) => runs.subscribeRun(runId, l), () => runs.get(runId));
}

export function useThreadRunIds(threadId: string | null): readonly string[] {
  const { runs } = useServices();
  return useSyncExternalStore(
    (l) => (threadId ? runs.subscribeThread(threadId, l) : () => undefined),
    () => (threadId ? runs.runsOfThread(threadId) : NONE),
  );
}

const NONE: readonly string[] = [];
