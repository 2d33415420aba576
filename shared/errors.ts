// Errors cross the contract as plain data: a code for machines, a message for people
// (Chinese first), and where it applies the file, line, column and value.

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_CALL'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'LOCKED'
  | 'THROTTLED'
  | 'CONFLICT'
  | 'DB_DAMAGED'
  | 'IMPORT_REFUSED'
  | 'DUPLICATE_FILE'
  | 'CANCELLED'
  | 'PERIOD_LOCKED'
  | 'INTERNAL';

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function toErrorData(e: unknown): ErrorData {
  if (e instanceof EngineError) return e.toData();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as ErrorData).message === 'string') {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return { code: code as ErrorCode, message: (e as ErrorData).message, details: (e as ErrorData).details };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
