/**
 * `brine key`: salt-key on the master's pki dir. Subcommands (`list`, `accept`, `reject`,
 * `delete`, `finger`) and salt-key's flags (`-L`, `-l ARG`, `-a GLOB`, `-A`, `-r GLOB`, `-R`,
 * `-d GLOB`, `-D`, `-f GLOB`, `-F`, `-y`, `--include-*`) print what salt-key prints: its key
 * outputter ("Accepted Keys:", ...), "The following keys are going to be accepted:",
 * "Proceed? [n/Y]", "Key for minion X accepted.". Without `-y` the change is confirmed on a
 * terminal; with no terminal it is refused (exit 2), so CI never hangs on a prompt.
 */
import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fnmatchCase } from '../../common/match/fnmatch';
import { fingerprint, publicKeysFingerprint } from '../../common/wire/fingerprint';
import { canonicalPublicDocument } from '../../common/wire/keys';
import { loadMasterIdentity } from '../../master/config/identity';
import type { MasterConfig } from '../../master/config/index';
import { KEY_DIRS, KEY_STATUSES, type KeyDir } from '../../master/pki/layout';
import { MinionKeyStore } from '../../master/pki/store';
import { getColors, stripEscSequence, type Colors } from '../output/colors';
import { render } from '../output/render';
import { outputOptions, type OutputFlags } from '../output-flags';
import {
  EXIT_USAGE,
  addMasterConfigOption,
  addOutputOptions,
  givenOptions,
  isKnownOutputter,
  loadMasterConfigOrReport,
  masterOutputConfig,
  printText,
  reportError,
} from './master-config-option';

const PROG = 'brine key';

/** What one `brine key` invocation does. */
type KeyAction =
  | { kind: 'list'; status: string }
  | { kind: 'accept' | 'reject' | 'delete'; glob: string }
  | { kind: 'finger'; glob: string | null };

type ChangeKind = 'accept' | 'reject' | 'delete';

interface KeyFlags extends OutputFlags {
  configDir?: string;
  yes?: boolean;
  includeAccepted?: boolean;
  includeRejected?: boolean;
  includeDenied?: boolean;
  includeAll?: boolean;
  list?: string;
  listAll?: boolean;
  accept?: string;
  acceptAll?: boolean;
  reject?: string;
  rejectAll?: boolean;
  delete?: string;
  deleteAll?: boolean;
  finger?: string;
  fingerAll?: boolean;
}

/** Key sections as salt-key's outputter takes them: ids per directory, or id -> fingerprint. */
type KeySections = Partial<Record<KeyDir | 'local', string[] | Record<string, string>>>;

/** salt-key's words for each listing section and the colours of its header and entries. */
const SECTIONS: Record<KeyDir | 'local', { title: string; header: keyof Colors; entry: keyof Colors; word: string }> = {
  local: { title: 'Local Keys:', header: 'LIGHT_MAGENTA', entry: 'MAGENTA', word: 'local' },
  minions: { title: 'Accepted Keys:', header: 'LIGHT_GREEN', entry: 'GREEN', word: 'accepted' },
  minions_denied: { title: 'Denied Keys:', header: 'LIGHT_MAGENTA', entry: 'MAGENTA', word: 'denied' },
  minions_pre: { title: 'Unaccepted Keys:', header: 'LIGHT_RED', entry: 'RED', word: 'unaccepted' },
  minions_rejected: { title: 'Rejected Keys:', header: 'LIGHT_BLUE', entry: 'BLUE', word: 'rejected' },
};

const PAST_TENSE: Record<ChangeKind, string> = { accept: 'accepted', reject: 'rejected', delete: 'deleted' };
const OUTPUTTERS_HELP = 'key (default), nested, json, yaml, txt, raw or quiet';

/** Register `brine key` and its subcommands. */
export function registerKey(program: Command, setExit: (code: number) => void): void {
  const key = program
    .command('key')
    .description("manage minion keys in the master's pki dir (like salt-key; no action = list all)")
    .option('-L, --list-all', 'list all keys (like `brine key list`)')
    .option('-l, --list <arg>', 'list keys: all, acc[epted], pre, un[accepted], rej[ected] or den[ied]')
    .option('-a, --accept <glob>', 'accept the pending keys matching GLOB')
    .option('-A, --accept-all', 'accept all pending keys')
    .option('-r, --reject <glob>', 'reject the pending keys matching GLOB')
    .option('-R, --reject-all', 'reject all pending keys')
    .option('-d, --delete <glob>', 'delete the keys matching GLOB')
    .option('-D, --delete-all', 'delete all keys')
    .option('-f, --finger <glob>', "print the fingerprints of the keys matching GLOB (and the master's)")
    .option('-F, --finger-all', 'print the fingerprints of all keys')
    .option('--include-accepted', 'also reject accepted keys')
    .option('--include-rejected', 'also accept rejected keys')
    .option('--include-denied', 'also accept or reject denied keys')
    .option('--include-all', 'accept: also rejected keys; reject: also accepted keys')
    .option('-y, --yes', 'answer yes: do not ask for confirmation')
    .allowExcessArguments(true);
  addMasterConfigOption(key);
  addOutputOptions(key, OUTPUTTERS_HELP);
  key.action(async (_opts: unknown, cmd: Command) => {
    if (cmd.args.length) {
      process.stderr.write(`${PROG}: unknown command '${stripEscSequence(cmd.args[0])}' (use list, accept, reject, delete or finger)\n`);
      setExit(EXIT_USAGE);
      return;
    }
    setExit(await runKey(cmd, undefined));
  });

  const sub = (name: string, description: string): Command => {
    const command = key.command(name).description(description);
    addMasterConfigOption(command);
    addOutputOptions(command, OUTPUTTERS_HELP);
    return command;
  };
  sub('list', 'list keys by status (like salt-key -L / -l ARG)')
    .argument('[status]', 'all (default), accepted, pre, unaccepted, rejected or denied')
    .action(async (status: string | undefined, _opts: unknown, cmd: Command) => {
      setExit(await runKey(cmd, { kind: 'list', status: status ?? 'all' }));
    });
  sub('accept', 'accept the pending keys matching GLOB (like salt-key -a)')
    .argument('<glob>', "minion id glob; 'a,b' means either")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--include-rejected', 'also accept rejected keys')
    .option('--include-denied', 'also accept denied keys')
    .action(async (glob: string, _opts: unknown, cmd: Command) => {
      setExit(await runKey(cmd, { kind: 'accept', glob }));
    });
  sub('reject', 'reject the pending keys matching GLOB (like salt-key -r)')
    .argument('<glob>', "minion id glob; 'a,b' means either")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--include-accepted', 'also reject accepted keys')
    .option('--include-denied', 'also reject denied keys')
    .action(async (glob: string, _opts: unknown, cmd: Command) => {
      setExit(await runKey(cmd, { kind: 'reject', glob }));
    });
  sub('delete', 'delete the keys matching GLOB, whatever their status (like salt-key -d)')
    .argument('<glob>', "minion id glob; 'a,b' means either")
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (glob: string, _opts: unknown, cmd: Command) => {
      setExit(await runKey(cmd, { kind: 'delete', glob }));
    });
  sub('finger', "print key fingerprints, always with the master's (what minions pin as master_finger)")
    .argument('[glob]', 'minion id glob (default: all keys)')
    .action(async (glob: string | undefined, _opts: unknown, cmd: Command) => {
      setExit(await runKey(cmd, { kind: 'finger', glob: glob ?? null }));
    });
}

/** Salt's key outputter: sections in sorted order, ids sorted, `id:  fingerprint` for fingerprints. */
export function formatKeySections(data: KeySections, colors: Colors): string {
  let text = '';
  for (const section of (Object.keys(data) as Array<keyof KeySections>).sort()) {
    const entries = data[section] ?? [];
    const style = SECTIONS[section];
    text += `${colors[style.header]}${style.title}${colors.ENDC}\n`;
    const color = colors[style.entry];
    if (Array.isArray(entries)) {
      for (const id of [...entries].sort(codePointOrder)) text += `${color}${stripEscSequence(id)}${colors.ENDC}\n`;
    } else {
      for (const id of Object.keys(entries).sort(codePointOrder)) text += `${color}${stripEscSequence(id)}:  ${entries[id]}${colors.ENDC}\n`;
    }
  }
  return text.trimEnd();
}

/** Salt's "does not match" text for accept and reject, naming the statuses searched. */
export function noMatchMessage(glob: string, statuses: readonly string[]): string {
  const words = statuses.length === 1 ? statuses[0] : `${statuses.slice(0, -1).join(', ')} or ${statuses[statuses.length - 1]}`;
  return `The key glob '${stripEscSequence(glob)}' does not match any ${words} keys.`;
}

async function runKey(cmd: Command, explicit: KeyAction | undefined): Promise<number> {
  const flags = givenOptions<KeyFlags>(cmd);
  const chosen = chooseAction(flags, explicit);
  if (typeof chosen === 'string') {
    process.stderr.write(`${PROG}: ${chosen}\n`);
    return EXIT_USAGE;
  }
  if (flags.out !== undefined && !isKnownOutputter(flags.out, ['key'])) {
    process.stderr.write(`${PROG}: unknown outputter '${stripEscSequence(flags.out)}' (use ${OUTPUTTERS_HELP})\n`);
    return EXIT_USAGE;
  }
  const glob = 'glob' in chosen ? chosen.glob : null;
  if (glob !== null && /[/\\\u0000-\u001f\u007f]/.test(glob)) {
    process.stderr.write(`${PROG}: invalid key glob ${JSON.stringify(glob)}: minion ids never contain '/', '\\' or control characters\n`);
    return 1;
  }
  const cfg = loadMasterConfigOrReport(PROG, flags.configDir);
  if (!cfg) return 1;
  try {
    const store = new MinionKeyStore(cfg.pki_dir);
    const show = (data: KeySections): void => printText(renderSections(data, flags, cfg));
    switch (chosen.kind) {
      case 'list':
        return listKeys(store, chosen.status, show);
      case 'finger':
        return fingerKeys(store, cfg, chosen.glob, show);
      default:
        return await changeKeys(store, chosen.kind, chosen.glob, flags, show);
    }
  } catch (err) {
    reportError(PROG, err);
    return 1;
  }
}

/** The action of the subcommand or of salt-key's flags; a string is a usage error. */
function chooseAction(flags: Partial<KeyFlags>, explicit: KeyAction | undefined): KeyAction | string {
  const fromFlags: KeyAction[] = [];
  if (flags.list !== undefined) fromFlags.push({ kind: 'list', status: flags.list });
  if (flags.listAll) fromFlags.push({ kind: 'list', status: 'all' });
  if (flags.accept !== undefined) fromFlags.push({ kind: 'accept', glob: flags.accept });
  if (flags.acceptAll) fromFlags.push({ kind: 'accept', glob: '*' });
  if (flags.reject !== undefined) fromFlags.push({ kind: 'reject', glob: flags.reject });
  if (flags.rejectAll) fromFlags.push({ kind: 'reject', glob: '*' });
  if (flags.delete !== undefined) fromFlags.push({ kind: 'delete', glob: flags.delete });
  if (flags.deleteAll) fromFlags.push({ kind: 'delete', glob: '*' });
  if (flags.finger !== undefined) fromFlags.push({ kind: 'finger', glob: flags.finger });
  if (flags.fingerAll) fromFlags.push({ kind: 'finger', glob: null });
  const all = explicit ? [explicit, ...fromFlags] : fromFlags;
  if (all.length > 1) return 'give one action at a time (a subcommand or one of -L, -l, -a, -A, -r, -R, -d, -D, -f, -F)';
  const action = all[0] ?? { kind: 'list', status: 'all' };
  if (action.kind === 'list' && listedDirs(action.status) === undefined) {
    return `'${stripEscSequence(action.status)}' is not a valid argument to '--list' (use all, accepted, pre, unaccepted, rejected or denied)`;
  }
  return action;
}

/** The directories `list ARG` shows, read as salt-key reads ARG (by its start). */
function listedDirs(status: string): KeyDir[] | undefined {
  if (status.startsWith('all')) return KEY_STATUSES.map((s) => KEY_DIRS[s]);
  if (status.startsWith('acc')) return ['minions'];
  if (status.startsWith('pre') || status.startsWith('un')) return ['minions_pre'];
  if (status.startsWith('rej')) return ['minions_rejected'];
  if (status.startsWith('den')) return ['minions_denied'];
  return undefined;
}

function listKeys(store: MinionKeyStore, status: string, show: (data: KeySections) => void): number {
  const listing = store.list();
  const data: KeySections = {};
  for (const dir of listedDirs(status) ?? []) data[dir] = listing[dir];
  show(data);
  return 0;
}

/**
 * `finger`: the fingerprints of the matching minion keys (every section for all keys, only the
 * sections with matches for a glob) and the local public keys, the master's always.
 */
function fingerKeys(store: MinionKeyStore, cfg: MasterConfig, glob: string | null, show: (data: KeySections) => void): number {
  const local = localFingerprints(cfg, glob);
  const data: KeySections = {};
  const minions = store.fingerprints(glob ?? '*');
  let matched = Object.keys(local).length > 1 || (glob !== null && localNameMatches('master.pub', glob));
  for (const status of KEY_STATUSES) {
    const dir = KEY_DIRS[status];
    const count = Object.keys(minions[dir]).length;
    if (glob === null || count > 0) data[dir] = minions[dir];
    if (count > 0) matched = true;
  }
  data.local = local; // last, as in salt-key's data (the key outputter sorts it first)
  show(data);
  if (glob !== null && !matched) {
    process.stderr.write(`The key glob '${stripEscSequence(glob)}' does not match any keys.\n`);
    return 1;
  }
  return 0;
}

/** master.pub's fingerprint (from the master's key pair, made on first use) and any other `*.pub` in pki_dir matching the glob. */
function localFingerprints(cfg: MasterConfig, glob: string | null): Record<string, string> {
  const local: Record<string, string> = { 'master.pub': publicKeysFingerprint(loadMasterIdentity(cfg).publicKeys) };
  for (const name of fs.readdirSync(cfg.pki_dir)) {
    if (!name.endsWith('.pub') || name.startsWith('.') || name in local) continue;
    if (glob !== null && !localNameMatches(name, glob)) continue;
    try {
      local[name] = fingerprint(canonicalPublicDocument(fs.readFileSync(path.join(cfg.pki_dir, name)), name));
    } catch {
      continue; // not a key document: not listed
    }
  }
  return local;
}

/** A local key file matches a glob by its file name or by its name without `.pub` (so `finger master` finds master.pub). */
function localNameMatches(name: string, glob: string): boolean {
  return glob.split(',').some((p) => fnmatchCase(name, p) || fnmatchCase(name.replace(/\.pub$/, ''), p));
}

/** accept / reject / delete, as salt-key runs them: show, confirm, act on the keys shown, report each. */
async function changeKeys(
  store: MinionKeyStore,
  kind: ChangeKind,
  glob: string,
  flags: Partial<KeyFlags>,
  show: (data: KeySections) => void,
): Promise<number> {
  const include = {
    accepted: kind === 'reject' && Boolean(flags.includeAccepted || flags.includeAll),
    rejected: kind === 'accept' && Boolean(flags.includeRejected || flags.includeAll),
    denied: kind !== 'delete' && Boolean(flags.includeDenied),
  };
  const matches = store.match(glob);
  const shown: KeySections = {};
  if (kind === 'delete') {
    for (const status of KEY_STATUSES) if (matches[KEY_DIRS[status]].length) shown[KEY_DIRS[status]] = matches[KEY_DIRS[status]];
  } else {
    if (matches.minions_pre.length) shown.minions_pre = matches.minions_pre;
    if (include.accepted && matches.minions.length) shown.minions = matches.minions;
    if (include.rejected && matches.minions_rejected.length) shown.minions_rejected = matches.minions_rejected;
    if (include.denied && matches.minions_denied.length) shown.minions_denied = matches.minions_denied;
  }
  const ids = uniqueIds(shown);
  if (ids.length === 0) {
    const statuses = ['unaccepted'];
    if (include.accepted) statuses.push('accepted');
    if (include.rejected) statuses.push('rejected');
    if (include.denied) statuses.push('denied');
    process.stdout.write(`${kind === 'delete' ? `The key glob '${stripEscSequence(glob)}' does not match any keys.` : noMatchMessage(glob, statuses)}\n`);
    return 1;
  }
  process.stdout.write(`The following keys are going to be ${PAST_TENSE[kind]}:\n`);
  show(shown);
  if (!flags.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(
        `${PROG}: not ${kind === 'delete' ? 'deleting' : `${kind}ing`} without confirmation: stdin is not a terminal (pass -y to answer yes)\n`,
      );
      return EXIT_USAGE;
    }
    const answer = await confirm(kind === 'delete' ? 'Proceed? [N/y] ' : 'Proceed? [n/Y] ', kind !== 'delete');
    if (answer === 'interrupted') {
      process.stderr.write('\nExiting on CTRL-c\n');
      return 1;
    }
    if (!answer) return 0;
  }
  return applyChange(store, kind, ids, include);
}

/** Act on exactly the ids shown (a key that arrived meanwhile is never taken along). */
function applyChange(
  store: MinionKeyStore,
  kind: ChangeKind,
  ids: readonly string[],
  include: { accepted: boolean; rejected: boolean; denied: boolean },
): number {
  let status = 0;
  for (const id of ids) {
    if (id.includes(',')) {
      // The store reads ',' in a glob as "either": such an id cannot be named on its own.
      process.stderr.write(`Key for minion ${stripEscSequence(id)} was not ${PAST_TENSE[kind]}: ids containing ',' cannot be matched on their own.\n`);
      status = 1;
      continue;
    }
    const exact = escapeGlob(id);
    const done =
      kind === 'accept'
        ? store.accept(exact, { includeRejected: include.rejected, includeDenied: include.denied })
        : kind === 'reject'
          ? store.reject(exact, { includeAccepted: include.accepted, includeDenied: include.denied })
          : store.delete(exact);
    if (done.includes(id)) {
      process.stdout.write(`Key for minion ${stripEscSequence(id)} ${PAST_TENSE[kind]}.\n`);
    } else {
      process.stderr.write(
        kind === 'accept'
          ? `Unable to accept invalid key for ${stripEscSequence(id)}.\n`
          : `Key for minion ${stripEscSequence(id)} was not ${PAST_TENSE[kind]}: it changed meanwhile.\n`,
      );
      status = 1;
    }
  }
  return status;
}

/** Ask on the terminal; an empty answer takes the default, end of input is "no". */
function confirm(question: string, defaultYes: boolean): Promise<boolean | 'interrupted'> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    let settled = false;
    const settle = (value: boolean | 'interrupted'): void => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(value);
    };
    rl.on('SIGINT', () => settle('interrupted'));
    rl.on('close', () => settle(false));
    rl.question(question, (answer) => {
      const word = answer.trim().toLowerCase();
      settle(word === '' ? defaultYes : word.startsWith('y'));
    });
  });
}

function renderSections(data: KeySections, flags: Partial<KeyFlags>, cfg: MasterConfig): string {
  const opts = outputOptions(flags, masterOutputConfig(cfg));
  const out = flags.out ?? 'key';
  return out === 'key' ? formatKeySections(data, getColors(opts.color)) : render(out, data, opts);
}

function uniqueIds(sections: KeySections): string[] {
  const ids = new Set<string>();
  for (const entries of Object.values(sections)) for (const id of Array.isArray(entries) ? entries : Object.keys(entries ?? {})) ids.add(id);
  return [...ids].sort(codePointOrder);
}

/** A glob matching exactly `id` (fnmatch: `*`, `?` and `[` wrapped in brackets). */
function escapeGlob(id: string): string {
  return id.replace(/[*?[]/g, '[$&]');
}

function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
