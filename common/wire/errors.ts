/**
 * Typed errors of the wire layer: why an envelope was refused, and why a key file
 * could not be used. Messages never contain payloads or key material.
 */
import { BrineError } from '../errors';

/** Why `openEnvelope` refused an envelope. */
export type WireErrorCode =
  | 'malformed'
  | 'version'
  | 'unknown-sender'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'replayed'
  | 'wrong-recipient'
  | 'decrypt-failed'
  | 'wrong-kind';

/** An envelope (or sealed body) was refused; `code` says why, for logs and tests. */
export class WireError extends BrineError {
  readonly code: WireErrorCode;

  constructor(code: WireErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** A key file is missing, unreadable, unsafe (readable by group/other) or not a valid key. */
export class KeyFileError extends BrineError {
  constructor(message: string, file: string) {
    super(message, { file });
  }
}

/** Whether `err` is a WireError, optionally with the given code. */
export function isWireError(err: unknown, code?: WireErrorCode): err is WireError {
  return err instanceof WireError && (code === undefined || err.code === code);
}
