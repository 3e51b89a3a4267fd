import type { SessionManager } from '../session/SessionManager';
import { ApiError } from './ApiError';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /** Send the session's Bearer token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** A body sent as it is (a file), with its own content type. */
  raw?: { body: BodyInit; contentType?: string };
  query?: Record<string, string | number | boolean | undefined>;
}

/**
 * The REST client every view uses: JSON in and out, the Bearer token from the session, problem answers thrown as
 * ApiError. A 401 on a protected route refreshes the token once and retries; a second 401 ends the session.
 */
export class ApiClient {
  constructor(
    private readonly session: SessionManager,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, body, options);
  }

  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, body, options);
  }

  delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  async request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    const url = withQuery(path, options.query);
    let token = auth ? await this.session.accessToken() : null;
    if (auth && !token) throw new ApiError(401, 'AUTH_REQUIRED', 'Sign in to continue.');
    let response = await this.send(method, url, body, options, token);
    if (auth && response.status === 401) {
      const seen = this.session.current?.refreshToken;
      const renewed = seen ? await this.session.refresh(seen) : null;
      token = renewed?.accessToken ?? null;
      if (!token) {
        this.session.expire();
        throw await ApiError.fromResponse(response);
      }
      response = await this.send(method, url, body, options, token);
      if (response.status === 401) this.session.expire();
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('Content-Type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  private async send(method: Method, url: string, body: unknown, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (options.raw) {
      payload = options.raw.body;
      if (options.raw.contentType) headers['Content-Type'] = options.raw.contentType;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    try {
      return await this.fetchFn(url, { method, headers, body: payload, signal: options.signal });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw ApiError.network(error);
    }
  }
}

function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}
