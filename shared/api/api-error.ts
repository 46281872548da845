// The single error type of the API. Everything that reaches a client as an error is one of these,
// rendered as OpenAI's {"error":{"message","type","param","code"}} with the status from its kind.

export type ApiErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'exceed_context_size'
  | 'unavailable'
  | 'server';

/** Kind -> HTTP status and OpenAI/llama.cpp error type name. The one table for the whole API. */
const KIND_TABLE: Record<ApiErrorKind, { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  exceed_context_size: { status: 400, type: 'exceed_context_size_error' },
  unavailable: { status: 503, type: 'unavailable_error' },
  server: { status: 500, type: 'server_error' },
};

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly param: string | null;
  readonly code: string | null;

  constructor(kind: ApiErrorKind, message: string, options: { param?: string | null; code?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  get status(): number {
    return KIND_TABLE[this.kind].status;
  }

  get type(): string {
    return KIND_TABLE[this.kind].type;
  }

  toJSON(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  toResponse(headers?: HeadersInit): Response {
    const h = new Headers(headers);
    h.set('content-type', 'application/json');
    return new Response(JSON.stringify(this.toJSON()), { status: this.status, headers: h });
  }

  /** Plain data for crossing a worker boundary; `fromData` rebuilds the same class on the other side. */
  toData(): { kind: ApiErrorKind; message: string; param: string | null; code: string | null } {
    return { kind: this.kind, message: this.message, param: this.param, code: this.code };
  }

  static fromData(data: { kind: ApiErrorKind; message: string; param: string | null; code: string | null }): ApiError {
    return new ApiError(data.kind, data.message, { param: data.param, code: data.code });
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
