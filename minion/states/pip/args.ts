/** Arguments of the pip states, read as Salt's pip_state reads them. */
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/render/python-repr';
import { envVarsOpt, listOpt, strOpt, truthy, type PipTarget } from '../../backends/pip';

/** Where pip runs for a state: bin_env (or its old name pip_bin), user, cwd, env_vars. */
export function pipTargetOf(args: Dict): PipTarget {
  return {
    binEnv: strOpt(args, 'bin_env') ?? strOpt(args, 'pip_bin'),
    user: strOpt(args, 'user'),
    cwd: strOpt(args, 'cwd'),
    envVars: envVarsOpt(args.env_vars),
  };
}

/**
 * The requirement specifiers of pip.installed: `pkgs` when given (strings, or one-key
 * mappings `{name: spec}`), else `name`. Undefined when `pkgs` is not a list.
 */
export function requestedPackages(name: string, args: Dict): string[] | undefined {
  if (!truthy(args.pkgs)) return [name];
  if (!Array.isArray(args.pkgs)) return undefined;
  return args.pkgs.map((p) => {
    if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
      const [k, v] = Object.entries(p as Dict)[0] ?? ['', ''];
      return `${k} ${pyStr(v)}`.trim();
    }
    return pyStr(p);
  });
}

/** The requirements files of a call (a list, or a comma-separated string). */
export function requirementsOf(args: Dict): string[] {
  return listOpt(args, 'requirements') ?? [];
}

/** How Salt prints the `requirements` argument in comments (Python's str()). */
export function requirementsShown(args: Dict): string {
  return pyStr(args.requirements);
}

/** How Salt prints the `editable` argument in comments. */
export function editableShown(args: Dict): string {
  return pyStr(args.editable);
}
