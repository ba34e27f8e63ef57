/**
 * The soak's job mix: cheap functions, each with the return every minion must give, so that a
 * return is not only counted but checked (the right job's answer from the right minion).
 */
import { InvalidArgumentError } from 'commander';

/** One kind of job of the mix. */
export interface JobKind {
  name: string;
  fun: string;
  /** The job's arguments; `token` is unique to the job. */
  args: (token: string) => unknown[];
  /** What minion `id` must return for the job of `token`. */
  expect: (id: string, token: string) => unknown;
}

/** A kind and its share of the jobs. */
export interface MixEntry {
  kind: JobKind;
  weight: number;
}

/** The kinds a mix may name. */
export const JOB_KINDS: Readonly<Record<string, JobKind>> = {
  ping: { name: 'ping', fun: 'test.ping', args: () => [], expect: () => true },
  echo: { name: 'echo', fun: 'test.echo', args: (t) => [t], expect: (_id, t) => t },
  // the bench fleet gives each minion the grain host = the first label of its id
  grains: { name: 'grains', fun: 'grains.get', args: () => ['host'], expect: (id) => id.split('.')[0] },
  cmd: { name: 'cmd', fun: 'cmd.run', args: (t) => [`echo ${t}`], expect: (_id, t) => t },
};

/** Parse `kind=weight,...` (weights are positive integers). */
export function parseMix(text: string): MixEntry[] {
  const entries: MixEntry[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, w = '1'] = part.split('=');
    const kind = JOB_KINDS[name];
    const weight = Number(w);
    if (!kind) throw new InvalidArgumentError(`unknown job kind '${name}' (kinds: ${Object.keys(JOB_KINDS).join(', ')})`);
    if (!Number.isInteger(weight) || weight <= 0) throw new InvalidArgumentError(`weight of '${name}' must be a positive integer`);
    entries.push({ kind, weight });
  }
  if (entries.length === 0) throw new InvalidArgumentError('the mix names no job kind');
  return entries;
}

/**
 * The kind of job number `seq`: deterministic, each kind spread evenly over the run in
 * proportion to its weight (a stride coprime with the total walks every slot once per cycle).
 */
export function kindOf(mix: readonly MixEntry[], seq: number): JobKind {
  const total = mix.reduce((s, e) => s + e.weight, 0);
  let stride = 37;
  while (gcd(stride, total) !== 1) stride++;
  let slot = (seq * stride) % total;
  for (const e of mix) {
    if (slot < e.weight) return e.kind;
    slot -= e.weight;
  }
  return mix[mix.length - 1].kind;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A one-line description of the mix, e.g. `test.ping 85%, test.echo 10%`. */
export function describeMix(mix: readonly MixEntry[]): string {
  const total = mix.reduce((s, e) => s + e.weight, 0);
  return mix.map((e) => `${e.kind.fun}${e.kind.name === 'cmd' ? " 'echo'" : ''} ${((100 * e.weight) / total).toFixed(0)}%`).join(', ');
}
