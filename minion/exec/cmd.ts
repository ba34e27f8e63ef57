/** `cmd.run`, `cmd.run_all`, `cmd.run_stdout`, `cmd.run_stderr`, `cmd.retcode`: shell commands, Salt's return shapes. */
import type { Dict } from '../../common/types';
import { runCommand, type CmdResult } from '../states/cmd/runner';
import { plain, type ExecFunction } from './contract';

async function run(args: unknown[], kwargs: Dict, grains: Dict): Promise<CmdResult> {
  const cmd = String(args[0] ?? kwargs.cmd ?? '');
  return runCommand({
    cmd,
    shell: typeof kwargs.shell === 'string' ? kwargs.shell : typeof grains.shell === 'string' ? grains.shell : '/bin/sh',
    cwd: typeof kwargs.cwd === 'string' ? kwargs.cwd : undefined,
    env: kwargs.env,
    runas: typeof kwargs.runas === 'string' ? kwargs.runas : undefined,
    stdin: typeof kwargs.stdin === 'string' ? kwargs.stdin : undefined,
    timeout: kwargs.timeout,
    umask: kwargs.umask,
    successRetcodes: kwargs.success_retcodes,
  });
}

function failed(r: CmdResult, kwargs: Dict): boolean {
  const ok = Array.isArray(kwargs.success_retcodes) ? kwargs.success_retcodes.map(Number) : [0];
  return !ok.includes(r.retcode);
}

/** The registry of cmd functions. */
export const cmdFunctions: Record<string, ExecFunction> = {
  'cmd.run': async (args, kwargs, m) => {
    const r = await run(args, kwargs, m.grains);
    const out = [r.stdout, r.stderr].filter((s) => s !== '').join('\n');
    return plain(out, failed(r, kwargs) ? 1 : 0);
  },
  'cmd.run_stdout': async (args, kwargs, m) => {
    const r = await run(args, kwargs, m.grains);
    return plain(r.stdout, failed(r, kwargs) ? 1 : 0);
  },
  'cmd.run_stderr': async (args, kwargs, m) => {
    const r = await run(args, kwargs, m.grains);
    return plain(r.stderr, failed(r, kwargs) ? 1 : 0);
  },
  'cmd.run_all': async (args, kwargs, m) => {
    const r = await run(args, kwargs, m.grains);
    return plain({ pid: r.pid, retcode: r.retcode, stdout: r.stdout, stderr: r.stderr }, failed(r, kwargs) ? 1 : 0);
  },
  'cmd.retcode': async (args, kwargs, m) => {
    const r = await run(args, kwargs, m.grains);
    return plain(r.retcode, failed(r, kwargs) ? 1 : 0);
  },
};
