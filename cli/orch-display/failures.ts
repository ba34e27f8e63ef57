/**
 * The end-of-run section an operator reads first when something broke: for each failed step,
 * each failing minion and each of its failed states (ID, function, name, comment, and a
 * command's stdout, stderr and retcode), minions that did not respond, and errors of the
 * orchestration itself.
 */
import type { Colors } from '../output/colors';
import { formatNested } from '../output/index';
import { NO_RESPONSE_TEXT } from '../commands/jobs-format';
import type { OrchRunModel, StepView } from './run-model';
import {
  failedMinionsInComment,
  failedStatesOf,
  failuresBlockOf,
  isStateRun,
  minionReturnSucceeded,
  minionReturnsOf,
  type FailedState,
} from './salt-return';
import { firstLine, labelled, oneLine, safeBlock } from './text';

const MINION_INDENT = 2;
const BLOCK_INDENT = 4;

/** Lines of the failures section (empty when nothing failed). */
export function failureLines(model: OrchRunModel, colors: Colors): string[] {
  const lines: string[] = [];
  if (model.errors.length > 0) {
    lines.push(`${colors.LIGHT_RED}Orchestration errors${colors.ENDC}`);
    for (const error of model.errors) lines.push(...safeBlock(error).split('\n').map((l) => `  ${l}`));
  }
  const failed = model.steps.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`${colors.LIGHT_RED}Failed steps${colors.ENDC}`);
    for (const step of failed) lines.push(...stepFailureLines(step, colors));
  }
  return lines;
}

/** The minions a failed step names as failing: from progress, Salt's comment, then its returns. */
export function failingMinions(step: StepView): string[] {
  const names: string[] = [];
  const add = (id: string): void => {
    if (!names.includes(id)) names.push(id);
  };
  for (const [id, m] of Object.entries(step.minions)) if (m.state === 'failed' || m.state === 'no-response') add(id);
  for (const id of failedMinionsInComment(step.comment)) add(id);
  for (const [id, value] of Object.entries(minionReturnsOf(step.ret))) {
    if (typeof value === 'string' || Array.isArray(value) || (isStateRun(value) && !minionReturnSucceeded(value))) add(id);
  }
  return names;
}

function stepFailureLines(step: StepView, colors: Colors): string[] {
  const what = [step.info.fun, step.stepJid ? `job ${step.stepJid}` : ''].filter(Boolean).join(', ');
  const lines = [`${colors.RED}${oneLine(step.info.id)}${colors.ENDC}${what ? ` (${what})` : ''}: ${firstLine(step.comment) || 'failed'}`];
  const returns = minionReturnsOf(step.ret);
  const block = failuresBlockOf(step.comment);
  let deferred = false;
  const minions = failingMinions(step);
  for (const id of minions) {
    const value = returns[id];
    if (value === undefined && block) {
      deferred = true;
      continue;
    }
    lines.push(`${' '.repeat(MINION_INDENT)}${colors.RED}${oneLine(id)}${colors.ENDC}:`);
    if (value === undefined) {
      const noResponse = step.minions[id]?.state === 'no-response';
      lines.push(`${' '.repeat(BLOCK_INDENT)}${noResponse ? NO_RESPONSE_TEXT : '(no return)'}`);
    } else {
      lines.push(...minionReturnLines(value, colors));
    }
  }
  if (block && (deferred || minions.length === 0)) {
    lines.push(...safeBlock(block).split('\n').map((l) => `${' '.repeat(MINION_INDENT)}${l.replace(/^ {4}/, '')}`));
  } else if (minions.length === 0) {
    const rest = safeBlock(step.comment ?? '').split('\n').slice(1).filter((l) => l.trim() !== '');
    lines.push(...rest.map((l) => `${' '.repeat(MINION_INDENT)}${l}`));
  }
  return lines;
}

function minionReturnLines(value: unknown, colors: Colors): string[] {
  const pad = ' '.repeat(BLOCK_INDENT);
  if (typeof value === 'string') return safeBlock(value).split('\n').map((l) => pad + l);
  if (Array.isArray(value)) return value.flatMap((e) => safeBlock(String(e)).split('\n').map((l) => pad + l));
  if (isStateRun(value)) {
    const failed = failedStatesOf(value);
    const ran = failed.filter((s) => !s.requisite);
    const notRun = failed.filter((s) => s.requisite);
    const lines = ran.flatMap((s) => stateLines(s, colors));
    if (notRun.length > 0) lines.push(`${pad}Not run, a requisite failed: ${notRun.map((s) => oneLine(s.id)).join(', ')}`);
    if (failed.length === 0) lines.push(`${pad}(no failed state in its return)`);
    return lines;
  }
  const nested = formatNested(value, { color: false });
  return safeBlock(nested).split('\n').map((l) => pad + l);
}

function stateLines(state: FailedState, colors: Colors): string[] {
  const red = (lines: string[]): string[] => lines.map((l) => `${colors.RED}${l}${colors.ENDC}`);
  const lines = [`${' '.repeat(BLOCK_INDENT)}----------`];
  lines.push(...red(labelled(BLOCK_INDENT, 'ID', state.id)));
  if (state.fun) lines.push(...red(labelled(BLOCK_INDENT, 'Function', state.fun)));
  if (state.name !== state.id) lines.push(...red(labelled(BLOCK_INDENT, 'Name', state.name)));
  lines.push(...red(labelled(BLOCK_INDENT, 'Result', 'False')));
  lines.push(...red(labelled(BLOCK_INDENT, 'Comment', state.comment)));
  if (state.stdout) lines.push(...labelled(BLOCK_INDENT, 'Stdout', state.stdout));
  if (state.stderr) lines.push(...labelled(BLOCK_INDENT, 'Stderr', state.stderr));
  if (state.retcode !== undefined) lines.push(...labelled(BLOCK_INDENT, 'Retcode', String(state.retcode)));
  if (state.changes !== undefined) {
    lines.push(`${' '.repeat(BLOCK_INDENT)}${'Changes'.padStart(12)}:`);
    const nested = formatNested(state.changes, { color: false });
    lines.push(...safeBlock(nested).split('\n').map((l) => `${' '.repeat(BLOCK_INDENT + 14)}${l}`));
  }
  return lines;
}
