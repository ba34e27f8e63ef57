/**
 * The `salt://` files a master attached to a state job, served to the minion's state
 * modules and templates as a FileSource. Nothing here touches the minion's filesystem:
 * a URL only ever selects an entry of the attached map, and hostile URLs are refused.
 */
import { BrineError, ValidationError } from './errors';
import { parseSaltUrl } from './paths';
import type { AttachedFiles } from './protocol/messages';
import type { FileSource } from './types';

/** Where an attached file lives: its saltenv and its path relative to that env's root. */
export interface AttachmentKey {
  saltenv: string;
  path: string;
}

/**
 * Check a salt:// URL as attachments allow it and return its saltenv and normalised path.
 * Refuses (ValidationError) `..`, absolute paths, NUL and control characters, backslashes
 * and percent-encoding; `?saltenv=` overrides `saltenv`.
 */
export function attachmentKey(url: string, saltenv: string): AttachmentKey {
  if (typeof url !== 'string' || !url.startsWith('salt://')) throw new ValidationError(`not a salt:// URL: ${JSON.stringify(url)}`);
  const rest = url.slice('salt://'.length);
  const q = rest.indexOf('?');
  const rawPath = q >= 0 ? rest.slice(0, q) : rest;
  if (rawPath.startsWith('/')) throw new ValidationError(`refused absolute salt:// path: ${JSON.stringify(url)}`);
  if (rawPath.includes('\\')) throw new ValidationError(`refused salt:// path with a backslash: ${JSON.stringify(url)}`);
  if (rawPath.includes('%')) throw new ValidationError(`refused percent-encoded salt:// path: ${JSON.stringify(url)}`);
  const parsed = parseSaltUrl(url);
  return { saltenv: parsed.saltenv ?? saltenv, path: parsed.path };
}

/** Add a file to an attachment map (creating its saltenv entry); safe for any key. */
export function attachFile(files: AttachedFiles, key: AttachmentKey, bytes: Uint8Array): void {
  let env = Object.hasOwn(files, key.saltenv) ? files[key.saltenv] : undefined;
  if (!env) {
    env = {};
    Object.defineProperty(files, key.saltenv, { value: env, enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(env, key.path, { value: bytes, enumerable: true, writable: true, configurable: true });
}

/** Whether an attachment map holds a file. */
export function hasAttachment(files: AttachedFiles, key: AttachmentKey): boolean {
  return lookup(files, key) !== undefined;
}

function lookup(files: AttachedFiles, key: AttachmentKey): Uint8Array | undefined {
  if (!Object.hasOwn(files, key.saltenv)) return undefined;
  const env = files[key.saltenv];
  if (!Object.hasOwn(env, key.path)) return undefined;
  const bytes = env[key.path];
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/** A FileSource over the files a master attached to a job (saltenv -> relative path -> bytes). */
export class AttachedFileSource implements FileSource {
  constructor(private readonly files: AttachedFiles) {}

  read(url: string, saltenv: string): Buffer {
    const key = attachmentKey(url, saltenv);
    const bytes = lookup(this.files, key);
    if (!bytes) {
      throw new BrineError(`Source file ${url} not found in saltenv '${key.saltenv}': the master did not attach salt://${key.path}`);
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  exists(url: string, saltenv: string): boolean {
    return lookup(this.files, attachmentKey(url, saltenv)) !== undefined;
  }

  list(dirUrl: string, saltenv: string): string[] {
    const key = attachmentKey(dirUrl, saltenv);
    if (!Object.hasOwn(this.files, key.saltenv)) return [];
    const prefix = key.path ? `${key.path}/` : '';
    const out: string[] = [];
    for (const p of Object.keys(this.files[key.saltenv])) {
      if (p.startsWith(prefix)) out.push(p.slice(prefix.length));
    }
    return out.sort();
  }

  /** The saltenvs that have attached files. */
  saltenvs(): string[] {
    return Object.keys(this.files);
  }
}
