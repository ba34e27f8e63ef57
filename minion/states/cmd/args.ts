/** Arguments of the cmd states, read as Salt's cmdmod reads them. */
import type { Dict } from '../../../common/types';
import { pyStr } from '../file/args';

export { pyStr };

/** An error Salt raises as CommandExecutionError/SaltInvocationError; its message becomes the state comment. */
export class CommandError extends Error {}

/** Whether an `env` argument has an acceptable shape (a mapping or a list), as the cmd states check. */
export function envShapeOk(env: unknown): boolean {
  return env === undefined || env === null || Array.isArray(env) || (typeof env === 'object' && !Buffer.isBuffer(env));
}

/**
 * Salt's _parse_env: a mapping, or a list of one-key mappings merged in order; values become
 * strings (None becomes '').
 */
export function parseEnv(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (d: Dict): void => {
    for (const [k, v] of Object.entries(d)) out[k] = v === null || v === undefined ? '' : pyStr(v);
  };
  if (Array.isArray(env)) {
    for (const item of env) if (item && typeof item === 'object' && !Array.isArray(item)) put(item as Dict);
  } else if (env && typeof env === 'object' && !Buffer.isBuffer(env)) put(env as Dict);
  return out;
}

/** Salt's split_input: a list as is, or a comma-separated string split and trimmed. */
export function splitInput(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(pyStr);
  return pyStr(v)
    .split(',')
    .map((s) => s.trim());
}

/** success_retcodes as integers ([0] when not given). */
export function successRetcodes(v: unknown): number[] {
  if (v === undefined || v === null) return [0];
  const codes = splitInput(v).map((s) => Number(s));
  if (codes.some((n) => !Number.isInteger(n))) throw new CommandError('success_retcodes must be a list of integers');
  return codes;
}

/** A `umask` argument ('022', 22) as bits; throws Salt's errors for zero or non-octal values. */
export function parseUmask(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const s = pyStr(v).replace(/^0+/, '');
  if (!s) throw new CommandError('Zero umask is not allowed.');
  if (!/^[0-7]+$/.test(s)) throw new CommandError(`Invalid umask: '${pyStr(v)}'`);
  return parseInt(s, 8);
}

/** Python's shlex.quote. */
export function shQuote(s: string): string {
  if (!s) return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
