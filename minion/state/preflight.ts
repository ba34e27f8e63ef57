/**
 * Checks run on compiled chunks before anything is applied: every state function must
 * exist. An unknown function fails the whole run with an error naming the SLS file, the
 * line of the state ID and the ID, so nothing of a broken SLS is applied.
 */
import type { FileSource, LowChunk } from '../../common/types';
import type { StateModule } from '../states/contract';

/** Salt-worded errors for chunks whose module or function does not exist. */
export function unknownFunctionErrors(
  chunks: readonly LowChunk[],
  modules: ReadonlyMap<string, StateModule>,
  files: FileSource,
): string[] {
  const errors: string[] = [];
  for (const c of chunks) {
    const mod = modules.get(c.state);
    if (mod && c.fun in mod.functions) continue;
    const full = `${c.state}.${c.fun}`;
    const where = locateId(files, c.__sls__, c.__env__, c.__id__);
    const known = mod ? ` Available: ${Object.keys(mod.functions).sort().map((f) => `${c.state}.${f}`).join(', ')}` : '';
    errors.push(`${where}state '${c.__id__}': State '${full}' was not found in SLS '${c.__sls__}'.${known}`);
  }
  return errors;
}

/** "salt://a/b.sls, line N, " for an ID, as precisely as the source allows. */
export function locateId(files: FileSource, sls: string, saltenv: string, id: string): string {
  const rel = sls.split('.').join('/');
  for (const url of [`salt://${rel}.sls`, `salt://${rel}/init.sls`]) {
    try {
      if (!files.exists(url, saltenv)) continue;
      const lines = files.read(url, saltenv).toString('utf8').split('\n');
      const idx = lines.findIndex((l) => {
        const t = l.replace(/\s+$/, '');
        return t === `${id}:` || t === `'${id}':` || t === `"${id}":` || t.startsWith(`${id}:`);
      });
      return idx >= 0 ? `${url}, line ${idx + 1}, ` : `${url}, `;
    } catch {
      // fall through
    }
  }
  return '';
}
