/** A REST problem answer (application/problem+json, docs/http-api.md) or a failed request, as one error type. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly retryAfterSeconds: number | null;
  readonly fieldErrors: Record<string, string[]>;

  constructor(status: number, errorCode: string, message: string, retryAfterSeconds: number | null = null, fieldErrors: Record<string, string[]> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.retryAfterSeconds = retryAfterSeconds;
    this.fieldErrors = fieldErrors;
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    let body: Record<string, unknown> = {};
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's page, say): the status alone speaks.
    }
    const retry = response.headers.get('Retry-After');
    const errors = (body.errors ?? {}) as Record<string, string[]>;
    const fieldText = Object.values(errors).flat().join(' ');
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : response.statusText;
    const message = fieldText && body.error_code === 'VALIDATION_FAILED' ? fieldText : detail || `Request failed (${response.status})`;
    return new ApiError(
      response.status,
      typeof body.error_code === 'string' ? body.error_code : `HTTP_${response.status}`,
      message,
      retry !== null && retry !== '' && !Number.isNaN(Number(retry)) ? Number(retry) : null,
      errors,
    );
  }

  static network(error: unknown): ApiError {
    return new ApiError(0, 'NETWORK_ERROR', `The server could not be reached (${error instanceof Error ? error.message : String(error)}).`);
  }
}
