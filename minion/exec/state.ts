/**
 * The `state.*` execution functions: apply, sls, highstate, single, test-mode runs and the
 * show_* views of top, high and low data. Retcodes as Salt's: 1 compile error, 2 a failed state.
 */
import { ValidationError } from '../../common/errors';
import { isDict } from '../../common/sls/shape';
import type { Dict } from '../../common/types';
import type { MinionRuntime, RunOptions, RunOutcome } from '../runtime';
import type { ExecFunction, ExecResult } from './contract';

/** Salt's mods argument: a list, or a comma-separated string. */
export function parseMods(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

function runOptions(kwargs: Dict, minion: MinionRuntime): RunOptions {
  let pillar = kwargs.pillar;
  if (typeof pillar === 'string') {
    try {
      pillar = JSON.parse(pillar);
    } catch {
      throw new ValidationError(`Pillar data must be formatted as a dictionary, got: ${pillar}`);
    }
  }
  if (pillar !== undefined && !isDict(pillar)) throw new ValidationError('Pillar data must be formatted as a dictionary');
  const test = kwargs.test === undefined ? minion.config.test : kwargs.test === true || kwargs.test === 'True';
  const exclude = kwargs.exclude === undefined ? undefined : parseMods(kwargs.exclude);
  return {
    test,
    pillar: pillar as Dict | undefined,
    saltenv: typeof kwargs.saltenv === 'string' ? kwargs.saltenv : undefined,
    exclude,
  };
}

/** A state run's outcome as an execution result: compile errors retcode 1, a failed state 2. */
export function fromOutcome(outcome: RunOutcome): ExecResult {
  if (!outcome.ok) return { data: outcome.errors, retcode: 1, outputter: 'highstate' };
  const failed = Object.values(outcome.results).some((r) => r.result === false);
  return { data: outcome.results, retcode: failed ? 2 : 0, outputter: 'highstate' };
}

function compiled<T>(c: { ok: true; value: T } | { ok: false; errors: string[] }): ExecResult {
  return c.ok ? { data: c.value, retcode: 0, outputter: 'nested' } : { data: c.errors, retcode: 1, outputter: 'nested' };
}

const apply: ExecFunction = async (args, kwargs, minion) => {
  const mods = parseMods(args[0] ?? kwargs.mods);
  return fromOutcome(await minion.apply(mods, runOptions(kwargs, minion)));
};

const sls: ExecFunction = async (args, kwargs, minion) => {
  const mods = parseMods(args[0] ?? kwargs.mods);
  if (!mods) return { data: ['No SLS given: state.sls needs the names of SLS files to apply'], retcode: 1, outputter: 'highstate' };
  return fromOutcome(await minion.apply(mods, runOptions(kwargs, minion)));
};

const highstate: ExecFunction = async (_args, kwargs, minion) => fromOutcome(await minion.apply(undefined, runOptions(kwargs, minion)));

const single: ExecFunction = async (args, kwargs, minion) => {
  const fun = String(args[0] ?? kwargs.fun ?? '');
  const name = args[1] ?? kwargs.name;
  if (!fun || name === undefined) {
    return { data: ['state.single needs a state function and a name: state.single pkg.installed name=vim'], retcode: 1, outputter: 'highstate' };
  }
  const opts = runOptions(kwargs, minion);
  const stateArgs: Dict = {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (['fun', 'name', 'test', 'pillar', 'saltenv', 'queue', 'concurrent'].includes(k)) continue;
    stateArgs[k] = v;
  }
  return fromOutcome(await minion.single(fun, String(name), stateArgs, opts));
};

/** The registry of state.* functions. */
export const stateFunctions: Record<string, ExecFunction> = {
  'state.apply': apply,
  'state.sls': sls,
  'state.highstate': highstate,
  'state.single': single,
  'state.show_top': (_a, kwargs, m) => compiled(m.showTop(runOptions(kwargs, m))),
  'state.show_sls': (args, kwargs, m) => compiled(m.showHigh(parseMods(args[0] ?? kwargs.mods) ?? [], runOptions(kwargs, m))),
  'state.show_highstate': (_a, kwargs, m) => compiled(m.showHigh(undefined, runOptions(kwargs, m))),
  'state.show_low_sls': (args, kwargs, m) => compiled(m.showLow(parseMods(args[0] ?? kwargs.mods) ?? [], runOptions(kwargs, m))),
  'state.show_lowstate': (_a, kwargs, m) => compiled(m.showLow(undefined, runOptions(kwargs, m))),
};
