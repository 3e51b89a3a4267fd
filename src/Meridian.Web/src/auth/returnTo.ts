// Where to go after signing in: the page an expired session left (kept for this tab only).
const KEY = 'meridian.return-to';

export function rememberReturnTo(path: string): void {
  if (path.startsWith('/chat') || path.startsWith('/usage')) sessionStorage.setItem(KEY, path);
}

export function takeReturnTo(): string {
  const path = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  return path && path.startsWith('/') && !path.startsWith('//') ? path : '/chat';
}
