/** Path handling as Python's os.path does it for Salt's file states. */
import * as os from 'node:os';
import * as path from 'node:path';
import { homeOf } from './users';

/** Expand a leading `~` or `~user` (os.path.expanduser); other paths are returned as given. */
export function expandUser(p: string): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/');
  const who = slash === -1 ? p.slice(1) : p.slice(1, slash);
  const rest = slash === -1 ? '' : p.slice(slash);
  const home = who === '' ? process.env.HOME || os.homedir() : homeOf(who);
  if (home === undefined) return p;
  return (home.replace(/\/+$/, '') || '/') + rest;
}

/** os.path.normpath for POSIX paths: collapse `.`, `..` and repeated slashes. */
export function normPath(p: string): string {
  if (p === '') return '.';
  const leading = p.startsWith('//') && !p.startsWith('///') ? '//' : p.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && (out.length ? out[out.length - 1] !== '..' : leading !== '')) {
      if (out.length) out.pop();
      continue;
    }
    out.push(part);
  }
  const joined = leading + out.join('/');
  return joined || '.';
}

/** os.path.dirname: everything before the last slash (trailing slashes of the head removed). */
export function dirName(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

/** Whether a path is absolute. */
export function isAbsolute(p: string): boolean {
  return path.isAbsolute(p);
}
