import { useSyncExternalStore } from 'react';

// A small History API router: the app has six routes (docs/ui.md), which does not need a library.

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  notify();
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => location.pathname,
  );
}

export type Route =
  | { name: 'home' }
  | { name: 'signin' }
  | { name: 'register' }
  | { name: 'chat'; threadId: string | null }
  | { name: 'usage' }
  | { name: 'ingest' }
  | { name: 'not-found' };

export function matchRoute(path: string): Route {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === '/') return { name: 'home' };
  if (clean === '/signin') return { name: 'signin' };
  if (clean === '/register') return { name: 'register' };
  if (clean === '/usage') return { name: 'usage' };
  if (clean === '/ingest') return { name: 'ingest' };
  if (clean === '/chat') return { name: 'chat', threadId: null };
  const chat = /^\/chat\/([^/]+)$/.exec(clean);
  if (chat) return { name: 'chat', threadId: decodeURIComponent(chat[1]) };
  return { name: 'not-found' };
}
