/**
 * The passes Salt runs over high data before compiling it: `extend` reconciliation,
 * structural verification, `_in` requisites turned into plain ones, and `exclude`.
 * Error texts are Salt 3006's.
 */
import type { HighData } from '../types';
import { fnmatchCase as fnmatch } from '../match/fnmatch';
import { isDict } from './shape';

/** Requisite argument names (Salt's STATE_REQUISITE_KEYWORDS). */
export const REQUISITE_KEYWORDS = new Set([
  'onchanges', 'onchanges_any', 'onfail', 'onfail_any', 'onfail_all', 'onfail_stop',
  'prereq', 'prerequired', 'watch', 'watch_any', 'require', 'require_any', 'listen',
]);

const REQUISITE_IN = new Set(['require_in', 'watch_in', 'onfail_in', 'onchanges_in', 'use', 'use_in', 'prereq', 'prereq_in']);

type Body = Record<string, unknown>;
type High = Record<string, unknown>;

function bodyOf(high: High, id: string): Body | undefined {
  const b = high[id];
  return isDict(b) ? b : undefined;
}

/** IDs whose declaration of `state` has `name` equal to the given name (Salt's find_name). */
function findName(name: string, state: string, high: High, strict = false): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const direct = bodyOf(high, name);
  if (direct && (!strict || state in direct)) return [[name, state]];
  if (state === 'sls') {
    for (const [id, b] of Object.entries(high)) if (isDict(b) && b.__sls__ === name) out.push([id, firstDecl(b)]);
    return out;
  }
  for (const [id, b] of Object.entries(high)) {
    if (!isDict(b) || !Array.isArray(b[state])) continue;
    for (const arg of b[state] as unknown[]) {
      if (isDict(arg) && Object.keys(arg).length === 1 && Object.values(arg)[0] === name) out.push([id, state]);
    }
  }
  return out;
}

function firstDecl(body: Body): string {
  return Object.keys(body).find((k) => !k.startsWith('__')) ?? '';
}

/** Apply `__extend__` to the high data (Salt's reconcile_extend). */
export function reconcileExtend(high: High, strict = false): string[] {
  const errors: string[] = [];
  if (!('__extend__' in high)) return errors;
  const ext = high.__extend__ as Array<Record<string, Body>>;
  delete high.__extend__;
  const excludes = ((high.__exclude__ as unknown[]) ?? [])
    .map((e) => (typeof e === 'string' ? e : isDict(e) ? e.sls : undefined))
    .filter((e): e is string => typeof e === 'string');
  for (const chunk of ext) {
    for (let [name, body] of Object.entries(chunk)) {
      const stateType = firstDecl(body);
      const target = bodyOf(high, name);
      if (!target || !(stateType in target)) {
        const ids = findName(name, stateType, high, strict);
        if (ids.length !== 1) {
          const env = (body.__env__ as string) ?? 'base';
          const sls = (body.__sls__ as string) ?? 'base';
          errors.push(
            `Cannot extend ID '${name}' in '${env}:${sls}'. It is not part of the high state.\n` +
              'This is likely due to a missing include statement or an incorrectly typed ID.\n' +
              `Ensure that a state with an ID of '${name}' is available\nin environment '${env}' and to SLS '${sls}'`,
          );
          continue;
        }
        name = ids[0][0];
      }
      if (excludes.includes(body.__sls__ as string)) continue;
      const into = bodyOf(high, name)!;
      for (const [state, run] of Object.entries(body)) {
        if (state.startsWith('__')) continue;
        if (!(state in into)) {
          into[state] = run;
          continue;
        }
        const list = into[state] as unknown[];
        for (const arg of run as unknown[]) {
          let update = false;
          for (let i = 0; i < list.length; i++) {
            const val = list[i];
            if (typeof arg === 'string' && typeof val === 'string') {
              list[i] = arg;
              update = true;
              continue;
            }
            if (isDict(arg) && isDict(val)) {
              const argFirst = Object.keys(arg)[0];
              const valFirst = Object.keys(val)[0];
              if (argFirst === valFirst) {
                if (REQUISITE_KEYWORDS.has(argFirst) && Array.isArray(val[argFirst]) && Array.isArray(arg[argFirst])) {
                  (val[argFirst] as unknown[]).push(...(arg[argFirst] as unknown[]));
                } else {
                  list[i] = arg;
                }
                update = true;
              }
              if (argFirst === 'name' && valFirst === 'names') list[i] = arg;
            }
          }
          if (!update) list.push(arg);
        }
      }
    }
  }
  return errors;
}

/** Check the structure of high data (Salt's verify_high); returns Salt's error texts. */
export function verifyHigh(high: High): string[] {
  const errors: string[] = [];
  for (const [id, body] of Object.entries(high)) {
    if (id.startsWith('__')) continue;
    if (!isDict(body)) {
      errors.push(`The type ${id} in ${JSON.stringify(body)} is not formatted as a dictionary`);
      continue;
    }
    const sls = body.__sls__ as string;
    for (const [state, run] of Object.entries(body)) {
      if (state.startsWith('__')) continue;
      if (run === null) {
        errors.push(
          `ID '${id}' in SLS '${sls}' contains a short declaration (${state}) with a trailing colon. When not passing any arguments to a state, the colon must be omitted.`,
        );
        continue;
      }
      if (!Array.isArray(run)) {
        errors.push(`State '${id}' in SLS '${sls}' is not formed as a list`);
        continue;
      }
      let funCount = state.includes('.') ? 1 : 0;
      for (const arg of run) {
        if (typeof arg === 'string') {
          funCount++;
          if (arg.trim().includes(' ')) {
            errors.push(
              `The function "${arg}" in state "${id}" in SLS "${sls}" has whitespace, a function with whitespace is not supported, perhaps this is an argument that is missing a ":"`,
            );
          }
        } else if (isDict(arg)) {
          const keys = Object.keys(arg);
          const first = keys[0];
          if (first === 'names' && !Array.isArray(arg.names)) {
            errors.push(`The 'names' argument in state '${id}' in SLS '${sls}' needs to be formed as a list`);
          }
          if (first !== undefined && REQUISITE_KEYWORDS.has(first)) {
            const reqs = arg[first];
            if (!Array.isArray(reqs)) {
              errors.push(`The ${first} statement in state '${id}' in SLS '${sls}' needs to be formed as a list`);
            } else {
              for (let req of reqs) {
                if (typeof req === 'string') req = { id: req };
                if (!isDict(req) || Object.keys(req).length !== 1) {
                  errors.push(`Requisite declaration ${JSON.stringify(req)} in state ${id} in SLS ${sls} is not formed as a single key dictionary`);
                  continue;
                }
                const [reqKey, reqVal] = Object.entries(req)[0];
                if (reqKey.includes('.')) {
                  errors.push(
                    `Invalid requisite type '${reqKey}' in state '${id}', in SLS '${sls}'. Requisite types must not contain dots, did you mean '${reqKey.slice(0, reqKey.indexOf('.'))}'?`,
                  );
                }
                if (isDict(reqVal) || Array.isArray(reqVal)) {
                  errors.push(`Illegal requisite "${JSON.stringify(reqVal)}" in SLS "${sls}", please check your syntax.\n`);
                }
              }
            }
          }
          if (keys.length !== 1) errors.push(`Multiple dictionaries defined in argument of state '${id}' in SLS '${sls}'`);
        }
      }
      if (!funCount) errors.push(`No function declared in state '${id}' in SLS '${sls}'`);
      else if (funCount > 1) {
        const funs = run.filter((a): a is string => typeof a === 'string');
        errors.push(`Too many functions declared in state '${id}' in SLS '${sls}'. Please choose one of the following: ${funs.join(', ')}`);
      }
    }
  }
  return errors;
}

/** Turn `require_in`/`watch_in`/... and `prereq` into requisites on their targets (Salt's requisite_in). */
export function requisiteIn(high: High): string[] {
  const extend: Record<string, Body> = {};
  const errors: string[] = [];
  const addReq = (target: string, targetState: string, rkey: string, req: Record<string, string>, env: unknown, sls: unknown) => {
    const ext = (extend[target] ??= {});
    const list = ((ext[targetState] as unknown[]) ??= []);
    ext.__env__ = env;
    ext.__sls__ = sls;
    for (const item of list) {
      if (isDict(item) && Object.keys(item)[0] === rkey) {
        (item[rkey] as unknown[]).push(req);
        return;
      }
    }
    list.push({ [rkey]: [req] });
  };
  for (const [id, body] of Object.entries(high)) {
    if (!isDict(body) || id.startsWith('__')) continue;
    for (const [state, run] of Object.entries(body)) {
      if (state.startsWith('__') || !Array.isArray(run)) continue;
      for (const arg of run) {
        if (!isDict(arg)) continue;
        const key = Object.keys(arg)[0];
        if (key === undefined || !REQUISITE_IN.has(key)) continue;
        const rkey = key.split('_')[0];
        const items = arg[key];
        const hinges: Array<[string, string]> = [];
        const list = isDict(items) ? Object.entries(items).map(([s, n]) => ({ [s]: n })) : Array.isArray(items) ? items : [];
        for (let ind of list) {
          if (!isDict(ind)) {
            const asId = String(ind);
            const b = bodyOf(high, asId);
            if (b) ind = { [firstDecl(b)]: asId };
            else {
              let found: Record<string, string> | undefined;
              for (const [oid, ob] of Object.entries(high)) {
                if (!isDict(ob)) continue;
                for (const [st, r] of Object.entries(ob)) {
                  if (st.startsWith('__') || !Array.isArray(r)) continue;
                  if (r.some((j) => isDict(j) && j.name === asId)) found = { [st]: oid };
                }
              }
              if (!found) continue;
              ind = found;
            }
          }
          const entries = Object.entries(ind as Record<string, unknown>);
          if (!entries.length) continue;
          let [pstate, pname] = entries[0];
          if (pstate.includes('.')) {
            errors.push(
              `Invalid requisite in ${rkey}: ${pstate} for ${String(pname)}, in SLS '${body.__sls__}'. Requisites must not contain dots, did you mean '${pstate.slice(0, pstate.indexOf('.'))}'?`,
            );
            pstate = pstate.split('.')[0];
          }
          if (pstate === 'sls') {
            for (const [oid, ob] of Object.entries(high)) {
              if (isDict(ob) && typeof ob.__sls__ === 'string' && fnmatch(ob.__sls__, String(pname))) {
                for (const st of Object.keys(ob)) if (!st.startsWith('__')) hinges.push([oid, st]);
              }
            }
          } else hinges.push([String(pname), pstate]);
        }
        for (const [name, targetState] of hinges) {
          if (key === 'prereq') {
            for (const [extId, reqState] of findName(name, targetState, high)) {
              addReq(extId, reqState, 'prerequired', { [state]: id }, body.__env__, body.__sls__);
            }
            continue;
          }
          if (key === 'prereq_in') {
            for (const [extId, reqState] of findName(name, targetState, high)) {
              addReq(id, state, 'prerequired', { [reqState]: extId }, body.__env__, body.__sls__);
            }
          }
          if (key === 'use' || key === 'use_in') {
            for (const [extId, extState] of findName(name, targetState, high, true)) {
              if (key === 'use') copyArgs(high, extId, extState, id, state, extend);
              else copyArgs(high, id, state, extId, extState, extend);
            }
            continue;
          }
          addReq(name, targetState, rkey, { [state]: id }, body.__env__, body.__sls__);
        }
      }
    }
  }
  high.__extend__ = Object.entries(extend).map(([k, v]) => ({ [k]: v }));
  errors.push(...reconcileExtend(high, true));
  return errors;
}

function copyArgs(high: High, srcId: string, srcState: string, dstId: string, dstState: string, extend: Record<string, Body>): void {
  const src = bodyOf(high, srcId);
  const dst = bodyOf(high, dstId);
  if (!src || !dst) return;
  const existing = new Set(((dst[dstState] as unknown[]) ?? []).filter(isDict).map((a) => Object.keys(a)[0]));
  const ext = (extend[dstId] ??= {});
  const list = ((ext[dstState] as unknown[]) ??= []);
  for (const arg of (src[srcState] as unknown[]) ?? []) {
    if (!isDict(arg) || Object.keys(arg).length !== 1) continue;
    const k = Object.keys(arg)[0];
    if (REQUISITE_KEYWORDS.has(k) || REQUISITE_IN.has(k) || existing.has(k) || k === 'name' || k === 'names' || k === 'order') continue;
    list.push(arg);
  }
}

/** Remove excluded SLS and IDs (Salt's apply_exclude). */
export function applyExclude(high: High): void {
  if (!('__exclude__' in high)) return;
  const exclude = high.__exclude__ as unknown[];
  delete high.__exclude__;
  const exSls = new Set<string>();
  const exId = new Set<string>();
  for (const exc of exclude) {
    if (typeof exc === 'string') exSls.add(exc);
    else if (isDict(exc) && Object.keys(exc).length === 1) {
      if (typeof exc.sls === 'string') exSls.add(exc.sls);
      else if (typeof exc.id === 'string') exId.add(exc.id);
    }
  }
  for (const [id, body] of Object.entries(high)) {
    if (id.startsWith('__') || !isDict(body)) continue;
    const sls = body.__sls__;
    if (typeof sls === 'string' && [...exSls].some((p) => fnmatch(sls, p))) exId.add(id);
  }
  for (const id of exId) delete high[id];
}

/** Run the passes Salt runs before compiling: extend, verify, requisite_in, exclude. Mutates `high`. */
export function prepareHigh(high: HighData): string[] {
  const h = high as High;
  const errors = reconcileExtend(h);
  errors.push(...verifyHigh(h));
  if (errors.length) return errors;
  errors.push(...requisiteIn(h));
  applyExclude(h);
  return errors;
}
