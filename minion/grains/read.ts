/** Reading host files for grains: a missing or unreadable file is simply no data. */
import * as fs from 'node:fs';

/** A file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A file's bytes, or undefined when it cannot be read. */
export function readBytes(path: string): Buffer | undefined {
  try {
    return fs.readFileSync(path);
  } catch {
    return undefined;
  }
}

/** A directory's entry names, or [] when it cannot be listed. */
export function listDir(path: string): string[] {
  try {
    return fs.readdirSync(path);
  } catch {
    return [];
  }
}

/** Whether a path exists (following symlinks). */
export function pathExists(path: string): boolean {
  return fs.existsSync(path);
}

/** Whether a path is a directory. */
export function isDirectory(path: string): boolean {
  return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
