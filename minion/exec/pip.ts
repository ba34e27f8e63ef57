/**
 * `pip.list`, `pip.freeze`, `pip.version`, `pip.is_installed`, `pip.list_all_versions`,
 * `pip.install`, `pip.uninstall`: salt.modules.pip's functions and return shapes, over the
 * pip backend. Positional arguments follow Salt's parameter order.
 */
import type { Dict } from '../../common/types';
import {
  availableVersions,
  canonicalName,
  envVarsOpt,
  freezeLines,
  indexOptionsOf,
  installedPackages,
  installOptionsOf,
  installPackages,
  listOpt,
  localRequirements,
  NOTHING_TO_INSTALL,
  pipVersion,
  PipError,
  strOpt,
  uninstallOptionsOf,
  uninstallPackages,
  type LocalRequirements,
  type PipTarget,
} from '../backends/pip';
import type { CmdResult } from '../states/cmd/runner';
import type { MinionRuntime } from '../runtime';
import { plain, type ExecFunction, type ExecResult } from './contract';

/** Keyword arguments with the positional ones named by Salt's parameter order. */
function named(args: unknown[], kwargs: Dict, order: string[]): Dict {
  const out: Dict = { ...kwargs };
  args.forEach((v, i) => {
    if (i < order.length && out[order[i]] === undefined) out[order[i]] = v;
  });
  return out;
}

function targetOf(a: Dict): PipTarget {
  return { binEnv: strOpt(a, 'bin_env'), user: strOpt(a, 'user'), cwd: strOpt(a, 'cwd'), envVars: envVarsOpt(a.env_vars) };
}

function runResult(r: CmdResult): ExecResult {
  return plain({ pid: r.pid, retcode: r.retcode, stdout: r.stdout, stderr: r.stderr }, r.retcode === 0 ? 0 : 1);
}

/** Salt splits `pkgs` on commas and turns the state's `;` back into `,`. */
function pkgsOf(v: unknown): string[] {
  if (v === undefined || v === null || v === '' || v === false) return [];
  const list = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return list.map((p) => p.trim().replace(/;/g, ',')).filter((p) => p);
}

async function withRequirements(a: Dict, m: MinionRuntime, run: (paths: string[]) => Promise<CmdResult>): Promise<ExecResult> {
  const saltenv = strOpt(a, 'saltenv') ?? 'base';
  let local: LocalRequirements;
  try {
    local = localRequirements(listOpt(a, 'requirements') ?? [], m.files, saltenv, strOpt(a, 'user'));
  } catch (e) {
    if (e instanceof PipError) return plain({ result: false, comment: e.message }, 1);
    throw e;
  }
  try {
    return runResult(await run(local.paths));
  } finally {
    local.cleanup();
  }
}

const LIST_ORDER = ['prefix', 'bin_env', 'user', 'cwd', 'env_vars'];
const INSTALL_ORDER = ['pkgs', 'requirements', 'bin_env', 'use_wheel', 'no_use_wheel', 'log', 'proxy', 'timeout', 'editable', 'find_links', 'index_url'];
const UNINSTALL_ORDER = ['pkgs', 'requirements', 'bin_env', 'log', 'proxy', 'timeout', 'user', 'cwd', 'saltenv'];

/** The registry of pip functions. */
export const pipFunctions: Record<string, ExecFunction> = {
  /** `{name: version}` of the installed packages, optionally only those whose name starts with `prefix`. */
  'pip.list': async (args, kwargs) => {
    const a = named(args, kwargs, LIST_ORDER);
    const prefix = a.prefix === undefined || a.prefix === null ? '' : String(a.prefix).toLowerCase();
    const out: Dict = {};
    for (const p of await installedPackages(targetOf(a))) {
      if (p.name.toLowerCase().startsWith(prefix)) out[p.name] = p.version;
    }
    return plain(out);
  },
  /** `pip freeze --all`, one line per package. */
  'pip.freeze': async (args, kwargs) => plain(await freezeLines(targetOf(named(args, kwargs, ['bin_env', 'user', 'cwd'])))),
  /** pip's own version. */
  'pip.version': async (args, kwargs) => plain(await pipVersion(targetOf(named(args, kwargs, ['bin_env', 'cwd', 'user'])))),
  /** Whether a package is installed. */
  'pip.is_installed': async (args, kwargs) => {
    const a = named(args, kwargs, ['pkgname', 'bin_env', 'user', 'cwd']);
    const want = canonicalName(String(a.pkgname ?? ''));
    return plain((await installedPackages(targetOf(a))).some((p) => canonicalName(p.name) === want));
  },
  /** The versions the index offers, oldest first (None when there are none). */
  'pip.list_all_versions': async (args, kwargs) => {
    const a = named(args, kwargs, ['pkg', 'bin_env', 'include_alpha', 'include_beta', 'include_rc', 'user', 'cwd', 'index_url', 'extra_index_url']);
    const keep = { a: !!a.include_alpha, b: !!a.include_beta, rc: !!a.include_rc };
    const excluded = (Object.keys(keep) as Array<keyof typeof keep>).filter((k) => !keep[k]);
    const all = await availableVersions(targetOf(a), String(a.pkg ?? ''), indexOptionsOf(a), excluded.length < 3);
    const versions = (all ?? []).filter((v) => !excluded.some((x) => v.includes(x)));
    return plain(versions.length ? versions : null);
  },
  /** Install packages and/or requirements files; returns what pip printed. */
  'pip.install': async (args, kwargs, m) => {
    const a = named(args, kwargs, INSTALL_ORDER);
    const pkgs = pkgsOf(a.pkgs);
    const options = installOptionsOf(a);
    if (!pkgs.length && !listOpt(a, 'requirements') && !options.editable?.length) return plain({ retcode: 0, stdout: NOTHING_TO_INSTALL.stdout });
    return withRequirements(a, m, (paths) => installPackages(targetOf(a), pkgs, paths, options));
  },
  /** Uninstall packages and/or what requirements files list; returns what pip printed. */
  'pip.uninstall': async (args, kwargs, m) => {
    const a = named(args, kwargs, UNINSTALL_ORDER);
    return withRequirements(a, m, (paths) => uninstallPackages(targetOf(a), pkgsOf(a.pkgs), paths, uninstallOptionsOf(a)));
  },
};
