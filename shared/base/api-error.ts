// The single error type of the API. Everything that reaches a client as an error is one of these,
// rendered as OpenAI's {"error":{"message","type","param","code"}} with the status from its kind.

export type ApiErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'rate_limit'
  | 'unsupported_media_type'
  | 'exceed_context_size'
  | 'unavailable'
  | 'server';

/** Every `code` the API answers with, so clients can match on them and typos do not compile. */
export type ApiErrorCode =
  | 'aborted'
  | 'ambiguous_model'
  | 'checksum_mismatch'
  | 'context_length_exceeded'
  | 'download_failed'
  | 'download_interrupted'
  | 'download_not_found'
  | 'embeddings_not_enabled'
  | 'engine_host_closed'
  | 'fetch_failed'
  | 'file_too_large'
  | 'galleries_unavailable'
  | 'gpu_failed'
  | 'gallery_not_found'
  | 'grammar_unsupported'
  | 'host_not_allowed'
  | 'install_running'
  | 'insufficient_storage'
  | 'invalid_api_key'
  | 'invalid_gallery_file'
  | 'invalid_grammar'
  | 'invalid_json'
  | 'invalid_model_config'
  | 'invalid_model_name'
  | 'invalid_template'
  | 'invalid_type'
  | 'invalid_utf8'
  | 'invalid_value'
  | 'job_not_found'
  | 'method_not_allowed'
  | 'missing_api_key'
  | 'missing_name'
  | 'missing_required_parameter'
  | 'model_file_not_found'
  | 'model_load_failed'
  | 'model_not_found'
  /** A config's `parameters.model` names a Hugging Face repo (autogptq) that the hub does not have. */
  | 'model_repo_not_found'
  | 'model_not_in_gallery'
  | 'model_too_large'
  | 'not_installed_by_hearth'
  | 'origin_not_allowed'
  | 'pairing_not_found'
  | 'private_address_refused'
  | 'payload_too_large'
  | 'previous_response_not_found'
  | 'queue_full'
  | 'queue_timeout'
  | 'model_loading'
  | 'request_cancelled'
  | 'response_not_found'
  | 'server_shutting_down'
  | 'tokenize_unsupported'
  | 'unknown_route'
  | 'unsafe_file_name'
  | 'unsupported_backend'
  | 'unsupported_parameter'
  | 'unsupported_model_format'
  | 'unsupported_schema'
  | 'unsupported_tool'
  | 'unsupported_uri'
  | 'remote_install_refused'
  | 'remote_route_unsupported'
  | 'upstream_failed'
  | 'upstream_unavailable'
  | 'upstreams_busy';

/** Kind -> HTTP status and OpenAI/llama.cpp error type name. The one table for the whole API. */
const KIND_TABLE: Record<ApiErrorKind, { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  exceed_context_size: { status: 400, type: 'exceed_context_size_error' },
  unavailable: { status: 503, type: 'unavailable_error' },
  server: { status: 500, type: 'server_error' },
};

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An ApiError as plain data, to cross a worker boundary. */
export interface ApiErrorData {
  kind: ApiErrorKind;
  message: string;
  param: string | null;
  code: ApiErrorCode | null;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly param: string | null;
  readonly code: ApiErrorCode | null;
  /** Sent as Retry-After: when a refused client may try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ApiErrorKind, message: string, options: { param?: string | null; code?: ApiErrorCode | null; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
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
    if (this.retryAfterSeconds !== undefined) h.set('retry-after', String(this.retryAfterSeconds));
    return new Response(JSON.stringify(this.toJSON()), { status: this.status, headers: h });
  }

  /** Plain data for crossing a worker boundary; `fromData` rebuilds the same class on the other side. */
  toData(): ApiErrorData {
    return { kind: this.kind, message: this.message, param: this.param, code: this.code };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.kind, data.message, { param: data.param, code: data.code });
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
