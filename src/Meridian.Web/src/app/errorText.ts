import { ApiError } from '../api/ApiError';
import type { ErrorFrame } from '../socket/frames';

/** A readable sentence for a server error frame or REST problem; the server's own message when it has one. */
export function errorText(error: ErrorFrame | ApiError | unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.errorCode, message: friendly(error.errorCode, error.message, error.retryAfterSeconds) };
  if (error && typeof error === 'object' && 'error_code' in error) {
    const frame = error as ErrorFrame;
    const retry = typeof frame.retry_after_ms === 'number' ? Math.ceil(frame.retry_after_ms / 1000) : null;
    return { code: frame.error_code, message: friendly(frame.error_code, frame.message, retry) };
  }
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : 'Something went wrong.' };
}

function friendly(code: string, message: string, retrySeconds: number | null): string {
  const retry = retrySeconds !== null ? ` Try again in ${retrySeconds} s.` : '';
  switch (code) {
    case 'RATE_LIMITED':
      return `Too many requests at once: ${message}${retry && !message.includes('retry') ? retry : ''}`;
    case 'RUN_LIMIT':
      return `You have too many runs going: ${message}`;
    case 'NOT_CONNECTED':
    case 'NETWORK_ERROR':
      return `${message} Check your connection; the app reconnects by itself.`;
    default:
      return message || code;
  }
}
