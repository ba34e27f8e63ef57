/** On a resumed orchestration, steps that finished before the master stopped are not run again. */
import { chunkTag } from '../../common/sls/lowstate';
import type { StateReturn, StateResult } from '../../common/types';
import { runStateFunction } from '../../minion/state/invoke';
import type { StateFunction, StateModule } from '../../minion/states/contract';

/** The note added to the comment of a step taken from before the restart. */
export const NOT_RUN_AGAIN = '(finished before the master restarted: not run again)';

/** `modules` whose functions return the recorded result of a step that already finished. */
export function skipFinished(modules: ReadonlyMap<string, StateModule>, finished: Readonly<Record<string, StateResult>>): Map<string, StateModule> {
  const out = new Map<string, StateModule>();
  for (const [name, mod] of modules) {
    const functions: Record<string, StateFunction<unknown>> = {};
    for (const [fun, fn] of Object.entries(mod.functions)) {
      functions[fun] = {
        check: fn.check,
        apply: fn.apply,
        run: async (stateName, args, ctx): Promise<StateReturn> => {
          const before = finished[chunkTag({ state: name, __id__: ctx.id, name: stateName, fun })];
          if (before) {
            return { name: before.name, result: before.result, changes: before.changes, comment: `${before.comment} ${NOT_RUN_AGAIN}`.trim() };
          }
          return fn.run ? fn.run(stateName, args, ctx) : runStateFunction(fn, stateName, args, ctx);
        },
      };
    }
    out.set(name, { ...mod, functions });
  }
  return out;
}
