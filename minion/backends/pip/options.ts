/**
 * Salt's pip keyword arguments (pip.install / pip.installed: index_url, find_links, upgrade,
 * install_options, extra_args, ...) read from a state or CLI call, validated with Salt's
 * messages, and turned into pip command-line options.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dict } from '../../../common/types';
import { pyStr } from '../../../common/render/python-repr';
import { PipError } from './errors';
import { compareVersions } from './version';

/** Where pip looks for packages. */
export interface IndexOptions {
  indexUrl?: string;
  extraIndexUrl?: string;
  findLinks?: string[];
  noIndex?: boolean;
  trustedHost?: string;
}

/** Everything `pip install` is asked to do besides the packages themselves. */
export interface InstallOptions extends IndexOptions {
  log?: string;
  proxy?: string;
  timeout?: unknown;
  noBinary?: string;
  mirrors?: string[];
  build?: string;
  target?: string;
  download?: string;
  cacheDir?: string;
  source?: string;
  upgrade?: boolean;
  forceReinstall?: boolean;
  ignoreInstalled?: boolean;
  existsAction?: string;
  noDeps?: boolean;
  noInstall?: boolean;
  noDownload?: boolean;
  noCacheDir?: boolean;
  pre?: boolean;
  cert?: string;
  globalOptions?: string[];
  installOptions?: string[];
  editable?: string[];
  allowAllExternal?: boolean;
  allowExternal?: string[];
  allowUnverified?: string[];
  processDependencyLinks?: boolean;
  extraArgs?: unknown[];
}

/** Python truthiness of a YAML value. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** An optional string argument (absent, null, false and '' are unset). */
export function strOpt(args: Dict, key: string): string | undefined {
  const v = args[key];
  return truthy(v) ? pyStr(v) : undefined;
}

/** A list argument: a list as is, or Salt's comma-separated string split and stripped. */
export function listOpt(args: Dict, key: string): string[] | undefined {
  const v = args[key];
  if (!truthy(v)) return undefined;
  if (Array.isArray(v)) return v.map((x) => pyStr(x));
  return pyStr(v)
    .split(',')
    .map((s) => s.trim());
}

/** Salt's _format_env_vars: a mapping of strings, or a PipError. */
export function envVarsOpt(v: unknown): Record<string, string> | undefined {
  if (!truthy(v)) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v === null) throw new PipError(`env_vars ${pyStr(v)} is not a dictionary`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Dict)) out[k] = pyStr(val);
  return out;
}

/** The index options of a call's keyword arguments. */
export function indexOptionsOf(args: Dict): IndexOptions {
  return {
    indexUrl: strOpt(args, 'index_url'),
    extraIndexUrl: strOpt(args, 'extra_index_url'),
    findLinks: listOpt(args, 'find_links'),
    noIndex: truthy(args.no_index),
    trustedHost: strOpt(args, 'trusted_host'),
  };
}

/**
 * The install options of a call's keyword arguments (Salt's names).
 * Example: installOptionsOf({find_links: '/srv/wheels', no_index: true, upgrade: true})
 *   -> {findLinks: ['/srv/wheels'], noIndex: true, upgrade: true, ...}
 */
export function installOptionsOf(args: Dict): InstallOptions {
  const noBinary = args.no_binary;
  return {
    ...indexOptionsOf(args),
    log: strOpt(args, 'log'),
    proxy: strOpt(args, 'proxy'),
    timeout: truthy(args.timeout) ? args.timeout : undefined,
    noBinary: Array.isArray(noBinary) ? noBinary.map((x) => pyStr(x)).join(',') : strOpt(args, 'no_binary'),
    mirrors: listOpt(args, 'mirrors'),
    build: strOpt(args, 'build'),
    target: strOpt(args, 'target'),
    download: strOpt(args, 'download'),
    cacheDir: strOpt(args, 'download_cache') ?? strOpt(args, 'cache_dir'),
    source: strOpt(args, 'source'),
    upgrade: truthy(args.upgrade),
    forceReinstall: truthy(args.force_reinstall),
    ignoreInstalled: truthy(args.ignore_installed),
    existsAction: strOpt(args, 'exists_action'),
    noDeps: truthy(args.no_deps),
    noInstall: truthy(args.no_install),
    noDownload: truthy(args.no_download),
    noCacheDir: truthy(args.no_cache_dir),
    pre: truthy(args.pre_releases),
    cert: strOpt(args, 'cert'),
    globalOptions: listOpt(args, 'global_options'),
    installOptions: listOpt(args, 'install_options'),
    editable: listOpt(args, 'editable'),
    allowAllExternal: truthy(args.allow_all_external),
    allowExternal: listOpt(args, 'allow_external'),
    allowUnverified: listOpt(args, 'allow_unverified'),
    processDependencyLinks: truthy(args.process_dependency_links),
    extraArgs: Array.isArray(args.extra_args) ? args.extra_args : undefined,
  };
}

const URL_PROTOS = ['http', 'https', 'ftp', 'file'];

/** Salt's salt.utils.url.validate: the scheme is one pip can fetch from. */
function validUrl(url: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  return m !== null && URL_PROTOS.includes(m[1].toLowerCase());
}

/** Check index options as Salt does (mutual exclusion, URL schemes, find-links paths). */
export function validateIndexOptions(o: IndexOptions): void {
  for (const link of o.findLinks ?? []) {
    if (!validUrl(link) && !fs.existsSync(link)) throw new PipError(`'${link}' is not a valid URL or path`);
  }
  if (o.noIndex && (o.indexUrl || o.extraIndexUrl)) {
    throw new PipError("'no_index' and ('index_url' or 'extra_index_url') are mutually exclusive.");
  }
  if (o.indexUrl && !validUrl(o.indexUrl)) throw new PipError(`'${o.indexUrl}' is not a valid URL`);
  if (o.extraIndexUrl && !validUrl(o.extraIndexUrl)) throw new PipError(`'${o.extraIndexUrl}' is not a valid URL`);
}

/**
 * pip options for the index settings (also understood by `pip index`).
 * Example: indexArgs({findLinks: ['/srv/wheels'], noIndex: true}) -> ['--find-links', '/srv/wheels', '--no-index']
 */
export function indexArgs(o: IndexOptions): string[] {
  const out: string[] = [];
  for (const link of o.findLinks ?? []) out.push('--find-links', link);
  if (o.indexUrl) out.push('--index-url', o.indexUrl);
  if (o.extraIndexUrl) out.push('--extra-index-url', o.extraIndexUrl);
  if (o.noIndex) out.push('--no-index');
  if (o.trustedHost) out.push('--trusted-host', o.trustedHost);
  return out;
}

function checkLog(log: string): void {
  if (fs.statSync(log, { throwIfNoEntry: false })?.isDirectory()) throw new PipError(`'${log}' is a directory. Use --log path_to_file`);
  const probe = fs.existsSync(log) ? log : path.dirname(path.resolve(log));
  try {
    fs.accessSync(probe, fs.constants.W_OK);
  } catch {
    throw new PipError(`'${log}' is not writeable`);
  }
}

function timeoutArg(v: unknown): string {
  const s = pyStr(v);
  if (typeof v === 'boolean' || (typeof v === 'number' && !Number.isInteger(v)) || !/^\s*[+-]?\d+\s*$/.test(s)) {
    throw new PipError(`'${s}' is not a valid timeout, must be an integer`);
  }
  return s.trim();
}

function editableArgs(entries: string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    if (!(entry === '.' || entry.startsWith('file://') || entry.startsWith('/'))) {
      const egg = /(?:#|#.*?&)egg=([^&]*)/.exec(entry);
      if (!egg || !egg[1]) throw new PipError('You must specify an egg for this editable');
    }
    out.push('--editable', entry);
  }
  return out;
}

function extraArgsOf(extra: unknown[]): string[] {
  const out: string[] = [];
  for (const arg of extra) {
    if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      for (const [key, val] of Object.entries(arg as Dict)) {
        if (val !== null && typeof val === 'object') throw new PipError(`Too many levels in: ${key}`);
        out.push(key, pyStr(val));
      }
    } else out.push(pyStr(arg));
  }
  return out;
}

/**
 * The `pip install` arguments for packages, requirements files and options, in Salt's
 * order; throws PipError with Salt's message for arguments it refuses.
 *
 * Arguments: pkgs — requirement specifiers, one argv entry each; requirements — local
 * requirements files; o — the options; pipVer — pip's version (for version-gated options).
 *
 * Example: installArgs(['brinetiny==1.0'], [], {findLinks: ['/w'], noIndex: true}, '23.2.1')
 *   -> ['install', '--find-links', '/w', '--no-index', '--disable-pip-version-check', 'brinetiny==1.0']
 */
export function installArgs(pkgs: string[], requirements: string[], o: InstallOptions, pipVer: string | null): string[] {
  validateIndexOptions(o);
  const a = ['install'];
  for (const r of requirements) a.push('--requirement', r);
  if (o.noBinary) a.push('--no-binary', o.noBinary);
  if (o.log) {
    checkLog(o.log);
    a.push('--log', o.log);
  }
  if (o.proxy) a.push('--proxy', o.proxy);
  if (o.timeout !== undefined) a.push('--timeout', timeoutArg(o.timeout));
  a.push(...indexArgs({ ...o, trustedHost: undefined }));
  if (o.mirrors?.length) {
    if (pipVer && compareVersions(pipVer, '7.0.0') >= 0) {
      throw new PipError('pip >= 7.0.0 does not support mirror argument: use index_url and/or extra_index_url instead');
    }
    a.push('--use-mirrors');
    for (const m of o.mirrors) {
      if (!m.startsWith('http://')) throw new PipError(`'${m}' is not a valid URL`);
      a.push('--mirrors', m);
    }
  }
  a.push('--disable-pip-version-check');
  if (o.build) a.push('--build', o.build);
  if (o.target) a.push('--target', o.target);
  if (o.download) a.push('--download', o.download);
  if (o.cacheDir) a.push(pipVer && compareVersions(pipVer, '6.0') < 0 ? '--download-cache' : '--cache-dir', o.cacheDir);
  if (o.source) a.push('--source', o.source);
  if (o.upgrade) a.push('--upgrade');
  if (o.forceReinstall) a.push('--force-reinstall');
  if (o.ignoreInstalled) a.push('--ignore-installed');
  if (o.existsAction) {
    if (!['s', 'i', 'w', 'b'].includes(o.existsAction.toLowerCase())) {
      throw new PipError(`The exists_action pip option only supports the values s, i, w, and b. '${o.existsAction}' is not valid.`);
    }
    a.push('--exists-action', o.existsAction);
  }
  if (o.noDeps) a.push('--no-deps');
  if (o.noInstall) a.push('--no-install');
  if (o.noDownload) a.push('--no-download');
  if (o.noCacheDir) a.push('--no-cache-dir');
  if (o.pre) a.push('--pre');
  if (o.cert) a.push('--cert', o.cert);
  for (const g of o.globalOptions ?? []) a.push('--global-option', g);
  for (const i of o.installOptions ?? []) a.push('--install-option', i);
  a.push(...pkgs);
  a.push(...editableArgs(o.editable ?? []));
  if (o.allowAllExternal) a.push('--allow-all-external');
  for (const p of o.allowExternal ?? []) a.push('--allow-external', p);
  for (const p of o.allowUnverified ?? []) a.push('--allow-unverified', p);
  if (o.processDependencyLinks) a.push('--process-dependency-links');
  if (o.trustedHost) a.push('--trusted-host', o.trustedHost);
  a.push(...extraArgsOf(o.extraArgs ?? []));
  return a;
}

/** What `pip uninstall` is asked to do besides the packages. */
export interface UninstallOptions {
  log?: string;
  proxy?: string;
  timeout?: unknown;
}

/** The uninstall options of a call's keyword arguments (Salt's names). */
export function uninstallOptionsOf(args: Dict): UninstallOptions {
  return { log: strOpt(args, 'log'), proxy: strOpt(args, 'proxy'), timeout: truthy(args.timeout) ? args.timeout : undefined };
}

/**
 * The `pip uninstall` arguments (Salt's order).
 * Example: uninstallArgs(['brinetiny'], [], {}) -> ['uninstall', '-y', '--disable-pip-version-check', 'brinetiny']
 */
export function uninstallArgs(pkgs: string[], requirements: string[], o: UninstallOptions): string[] {
  const a = ['uninstall', '-y'];
  for (const r of requirements) a.push('--requirement', r);
  if (o.log) a.push('--log', o.log);
  if (o.proxy) a.push('--proxy', o.proxy);
  if (o.timeout !== undefined) a.push('--timeout', timeoutArg(o.timeout));
  a.push('--disable-pip-version-check', ...pkgs);
  return a;
}
