/**
 * Render a set of SLS (from top.sls matches or named on the command line) into one high
 * data structure, as Salt's HighState.render_highstate / render_state do: includes
 * (relative, globbed, cross-env), extend and exclude collected, declarations padded
 * (`file.managed:` -> `file: [..., managed]`), `__sls__`/`__env__` added, auto-order numbers.
 */
import { BrineError } from '../errors';
import type { HighData } from '../types';
import { fnmatchCase as fnmatch } from '../match/fnmatch';
import { isDict } from './shape';

/** Where SLS files come from: rendering and listing per saltenv. */
export interface SlsProvider {
  /** The SLS names available in a saltenv (`a.b` for a/b.sls and a/b/init.sls). */
  available(saltenv: string): string[];
  /** Render one SLS to data; undefined when it does not exist. Throws BrineError on render errors. */
  render(sls: string, saltenv: string): { data: unknown; url: string } | undefined;
}

type State = Record<string, unknown>;

/** Builds high data from SLS names, accumulating Salt-worded errors. */
export class HighStateBuilder {
  private iorder = 10000;
  private readonly high: State = {};

  constructor(
    private readonly provider: SlsProvider,
    private readonly saltenvs: readonly string[],
    private readonly autoOrder = true,
  ) {}

  /** Render every SLS of `matches` ({saltenv: [sls globs]}) into one high data. */
  build(matches: Record<string, string[]>): { high: HighData; errors: string[] } {
    const allErrors: string[] = [];
    const mods = new Set<string>();
    for (const [saltenv, slsList] of Object.entries(matches)) {
      for (const slsMatch of slsList) {
        let statefiles: string[];
        if (this.saltenvs.includes(saltenv)) {
          statefiles = this.provider.available(saltenv).filter((s) => fnmatch(s, slsMatch));
        } else {
          allErrors.push(`No matching salt environment for environment '${saltenv}' found`);
          statefiles = [];
        }
        if (!statefiles.length) {
          if (/[*?[]/.test(slsMatch)) {
            allErrors.push(`No matching sls found for '${slsMatch}' in env '${saltenv}'`);
            continue;
          }
          statefiles = [slsMatch];
        }
        for (const sls of statefiles) {
          if (mods.has(`${saltenv}:${sls}`)) continue;
          const { state, errors } = this.renderState(sls, saltenv, mods, matches);
          if (state) this.mergeIncluded(this.high, state, errors);
          for (let i = 0; i < errors.length; i++) {
            if (errors[i].includes('is not available') && errors[i].includes(`SLS ${slsMatch} in saltenv`)) {
              errors[i] = `No matching sls found for '${slsMatch}' in env '${saltenv}'`;
            }
          }
          allErrors.push(...errors);
        }
      }
    }
    this.cleanDuplicateExtends(this.high);
    return { high: this.high as HighData, errors: allErrors };
  }

  private renderState(
    sls: string,
    saltenv: string,
    mods: Set<string>,
    matches: Record<string, string[]>,
  ): { state: State | undefined; errors: string[] } {
    const errors: string[] = [];
    let rendered: { data: unknown; url: string } | undefined;
    try {
      rendered = this.provider.render(sls, saltenv);
      if (!rendered) {
        errors.push(
          `Specified SLS ${sls} in saltenv ${saltenv} is not available on the salt master or through a configured fileserver`,
        );
      }
    } catch (e) {
      const detail = e instanceof BrineError ? e.describe() : String((e as Error).message ?? e);
      errors.push(`Rendering SLS '${saltenv}:${sls}' failed: ${detail}`);
    }
    mods.add(`${saltenv}:${sls}`);
    if (!rendered || rendered.data === null || rendered.data === undefined || rendered.data === '') {
      return { state: rendered ? {} : undefined, errors };
    }
    if (!isDict(rendered.data)) {
      errors.push(`SLS ${sls} does not render to a dictionary`);
      return { state: undefined, errors };
    }
    const state: State = rendered.data;
    let include: unknown[] = [];
    if ('include' in state) {
      if (!Array.isArray(state.include)) errors.push(`Include Declaration in SLS ${sls} is not formed as a list`);
      else include = state.include;
      delete state.include;
    }
    this.handleExtend(state, sls, saltenv, errors);
    this.handleExclude(state, sls, errors);
    this.handleStateDecls(state, sls, saltenv, errors);

    for (let inc of include) {
      let envKey = saltenv;
      if (isDict(inc)) {
        const [k, v] = Object.entries(inc)[0] ?? [saltenv, ''];
        envKey = k;
        inc = v;
      }
      let incSls = String(inc);
      if (envKey !== '_xenv' && !this.saltenvs.includes(envKey)) {
        errors.push(`Nonexistent saltenv '${envKey}' found in include of '${incSls}' within SLS '${saltenv}:${sls}'`);
        continue;
      }
      if (incSls.startsWith('.')) {
        const m = /^(\.+)(.*)$/.exec(incSls)!;
        const levels = m[1].length;
        const parts = sls.split('.');
        if (rendered.url.endsWith('/init.sls')) parts.push('init');
        if (levels > parts.length) {
          errors.push(`Attempted relative include of '${incSls}' within SLS '${saltenv}:${sls}' goes beyond top level package `);
          continue;
        }
        incSls = [...parts.slice(0, parts.length - levels), m[2]].join('.');
      }
      let resolved: string[];
      if (envKey !== '_xenv') {
        resolved =
          envKey in matches || this.provider.available(envKey).some((s) => fnmatch(s, incSls)) ? [envKey] : [];
      } else {
        resolved = Object.keys(matches).filter((e) => this.provider.available(e).some((s) => fnmatch(s, incSls)));
      }
      if (resolved.length === 1 || resolved.includes(saltenv)) {
        const rEnv = resolved.length === 1 ? resolved[0] : saltenv;
        const targets = this.provider.available(rEnv).filter((s) => fnmatch(s, incSls));
        for (const target of targets.length ? targets : [incSls]) {
          if (mods.has(`${rEnv}:${target}`)) continue;
          const sub = this.renderState(target, rEnv, mods, matches);
          if (sub.state) this.mergeIncluded(state, sub.state, errors);
          errors.push(...sub.errors);
        }
      } else if (!resolved.length) {
        errors.push(
          `Unknown include: Specified SLS ${envKey}: ${incSls} is not available on the salt master in saltenv(s): ${
            envKey === '_xenv' ? Object.keys(matches).join(', ') : envKey
          } `,
        );
      } else {
        errors.push(
          `Ambiguous include: Specified SLS ${envKey}: ${incSls} is available on the salt master in multiple available saltenvs: ${resolved.join(', ')}`,
        );
      }
    }
    this.handleIorder(state);
    return { state, errors };
  }

  private handleIorder(state: State): void {
    if (!this.autoOrder) return;
    for (const body of Object.values(state)) {
      if (!isDict(body)) continue;
      for (const [decl, run] of Object.entries(body)) {
        if (decl.startsWith('_') || !Array.isArray(run)) continue;
        const found = run.some((a) => isDict(a) && Object.keys(a)[0] === 'order');
        if (!found) run.push({ order: this.iorder++ });
      }
    }
  }

  private handleStateDecls(state: State, sls: string, saltenv: string, errors: string[]): void {
    for (const name of Object.keys(state)) {
      const body = state[name];
      if (!isDict(body)) {
        if (name === '__extend__' || name === '__exclude__') continue;
        if (typeof body === 'string' && body.includes('.')) {
          const [mod, ...rest] = body.split('.');
          state[name] = { __sls__: sls, __env__: saltenv, [mod]: [rest.join('.')] };
          continue;
        }
        errors.push(`ID ${name} in SLS ${sls} is not a dictionary`);
        continue;
      }
      const seen = new Set<string>();
      const rebuilt: State = {};
      for (const [key, val] of Object.entries(body)) {
        if (!key.startsWith('_') && Array.isArray(val) && key.includes('.')) {
          const [mod, ...rest] = key.split('.');
          if (seen.has(mod)) {
            errors.push(`ID '${name}' in SLS '${sls}' contains multiple state declarations of the same type`);
            continue;
          }
          rebuilt[mod] = [...val, rest.join('.')];
          seen.add(mod);
          continue;
        }
        if (!key.startsWith('_') && Array.isArray(val)) seen.add(key);
        rebuilt[key] = val;
      }
      if (!('__sls__' in rebuilt)) rebuilt.__sls__ = sls;
      if (!('__env__' in rebuilt)) rebuilt.__env__ = saltenv;
      state[name] = rebuilt;
    }
  }

  private handleExtend(state: State, sls: string, saltenv: string, errors: string[]): void {
    if (!('extend' in state)) return;
    const ext = state.extend;
    delete state.extend;
    if (!isDict(ext)) {
      errors.push(`Extension value in SLS '${sls}' is not a dictionary`);
      return;
    }
    for (const name of Object.keys(ext)) {
      const body = ext[name];
      if (!isDict(body)) {
        errors.push(`Extension name '${name}' in SLS '${sls}' is not a dictionary`);
        continue;
      }
      const rebuilt: State = {};
      for (const [key, val] of Object.entries(body)) {
        if (!key.startsWith('_') && Array.isArray(val) && key.includes('.')) {
          const [mod, ...rest] = key.split('.');
          rebuilt[mod] = [...val, rest.join('.')];
        } else rebuilt[key] = val;
      }
      if (!('__sls__' in rebuilt)) rebuilt.__sls__ = sls;
      if (!('__env__' in rebuilt)) rebuilt.__env__ = saltenv;
      ext[name] = rebuilt;
    }
    const list = (state.__extend__ as unknown[] | undefined) ?? [];
    list.push(ext);
    state.__extend__ = list;
  }

  private handleExclude(state: State, sls: string, errors: string[]): void {
    if (!('exclude' in state)) return;
    const exc = state.exclude;
    delete state.exclude;
    if (!Array.isArray(exc)) {
      errors.push(`Exclude Declaration in SLS ${sls} is not formed as a list`);
      return;
    }
    const list = (state.__exclude__ as unknown[] | undefined) ?? [];
    list.push(...exc);
    state.__exclude__ = list;
  }

  private mergeIncluded(high: State, state: State, errors: string[]): void {
    if ('__extend__' in state) {
      high.__extend__ = [...((high.__extend__ as unknown[]) ?? []), ...(state.__extend__ as unknown[])];
      delete state.__extend__;
    }
    if ('__exclude__' in state) {
      high.__exclude__ = [...((high.__exclude__ as unknown[]) ?? []), ...(state.__exclude__ as unknown[])];
      delete state.__exclude__;
    }
    for (const id of Object.keys(state)) {
      if (id in high && high[id] !== state[id] && JSON.stringify(high[id]) !== JSON.stringify(state[id])) {
        const a = high[id] as State;
        const b = state[id] as State;
        errors.push(
          `Detected conflicting IDs, SLS IDs need to be globally unique.\n    The conflicting ID is '${id}' and is found in SLS '${a.__env__}:${a.__sls__}' and SLS '${b.__env__}:${b.__sls__}'`,
        );
      }
    }
    Object.assign(high, state);
  }

  private cleanDuplicateExtends(high: State): void {
    if (!Array.isArray(high.__extend__)) return;
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const ext of high.__extend__ as State[]) {
      for (const [k, v] of Object.entries(ext)) {
        const sig = JSON.stringify([k, v]);
        if (seen.has(sig)) continue;
        seen.add(sig);
        out.push({ [k]: v });
      }
    }
    high.__extend__ = out;
  }
}
