import { ApiError } from '../api/ApiError';
import type { SessionManager } from '../session/SessionManager';
import { importQuery, outcomeOfAnswer, outcomeOfRefusal, type ImportOptions, type ImportOutcome } from './importOutcome';
import type { ImportAnswer } from './workloadTypes';

export interface UploadProgress {
  /** Bytes sent so far, and the file's size. */
  loaded: number;
  total: number;
  /** `checking` once every byte is sent and the server is still checking and storing the records. */
  phase: 'sending' | 'checking';
}

interface Reply {
  status: number;
  text: string;
}

/**
 * Sends a usage file to POST /api/workloads/import as a form upload (part `file`, whose name and type tell the
 * format; docs/workloads.md#22-import). XMLHttpRequest, because fetch reports no upload progress. The token goes
 * in the Authorization header; a 401 refreshes the session once and sends the file again, as ApiClient does.
 * Resolves with what to show (an accepted or refused import); rejects with an ApiError when the server could
 * not be reached, and with an AbortError when `signal` aborts.
 */
export async function uploadUsageFile(
  session: SessionManager,
  file: File,
  options: ImportOptions,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  const url = `/api/workloads/import${importQuery(options)}`;
  let token = await session.accessToken();
  if (!token) throw new ApiError(401, 'AUTH_REQUIRED', 'Sign in to continue.');
  let reply = await send(url, file, token, onProgress, signal);
  if (reply.status === 401) {
    const seen = session.current?.refreshToken;
    token = seen ? ((await session.refresh(seen))?.accessToken ?? null) : null;
    if (!token) {
      session.expire();
      return outcomeOfRefusal(reply.status, reply.text);
    }
    reply = await send(url, file, token, onProgress, signal);
    if (reply.status === 401) session.expire();
  }
  if (reply.status >= 200 && reply.status < 300) return outcomeOfAnswer(JSON.parse(reply.text) as ImportAnswer);
  return outcomeOfRefusal(reply.status, reply.text);
}

function send(url: string, file: File, token: string, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, phase: 'sending' });
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, phase: 'checking' });
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    xhr.onerror = () => {
      done();
      reject(ApiError.network(new Error('the upload did not reach the server')));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    onProgress({ loaded: 0, total: file.size, phase: 'sending' });
    xhr.send(form);
  });
}
