// Errors cross the contract as plain data: a code for machines, a message for people
// (Chinese first), and where it applies the file, line, column and value.
import type { Lang } from './labels';

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

/**
 * What each kind of refusal is, in English: the English interface puts it before
 * the engine's own message, which is Chinese (it names files, rows, columns and
 * rules as the files and policies do), so an English reader knows what happened.
 */
export const ERROR_GIST_EN: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Not accepted',
  UNKNOWN_CALL: 'Unknown request',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Not allowed for your roles',
  UNAUTHENTICATED: 'Not signed in',
  LOCKED: 'Session locked',
  THROTTLED: 'Too many failed sign-ins',
  CONFLICT: 'In conflict with what is already there',
  DB_DAMAGED: 'The workstation database is damaged',
  IMPORT_REFUSED: 'Import refused',
  DUPLICATE_FILE: 'File already imported',
  CANCELLED: 'Cancelled',
  PERIOD_LOCKED: 'Period locked',
  INTERNAL: 'Internal error',
};

/** A refusal as people read it: the engine's message, in English after what kind of refusal it is. */
export function errorText(e: Pick<ErrorData, 'code' | 'message'>, lang: Lang): string {
  return lang === 'en' ? `${ERROR_GIST_EN[e.code] ?? ERROR_GIST_EN.INTERNAL}: ${e.message}` : e.message;
}

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
