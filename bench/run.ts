/**
 * `npm run bench`: a whole `brine call --local state.apply` of 1000 templated file.managed
 * states (a fresh process each time, as an operator runs it): the first run writes every
 * file, the second finds nothing to change. Printed with ratios against peers measured on
 * this machine in the same run: a bare Node process start, and a Python + Jinja2 script
 * that renders and writes the same 1000 files with no state engine at all (when python3
 * has jinja2). Salt 3006 needs about 30 s for each run of this on this machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fleetRoundTrip } from './fleet';
import { fleetScale } from './scale/scale';
import { scaleTable } from './scale/table';

const STATES = Number(process.env.BRINE_BENCH_STATES ?? 1000);
const ROOT = path.resolve(__dirname, '..', '..');
const BRINE = path.join(ROOT, 'bin', 'brine');
const SALT_REFERENCE_MS = 30000;

function makeTree(dir: string): { configDir: string; target: string } {
  const states = path.join(dir, 'states');
  const target = path.join(dir, 'target');
  fs.mkdirSync(path.join(states, 'bench'), { recursive: true });
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(
    path.join(states, 'bench', 'files.sls'),
    `{% for i in range(${STATES}) %}\n${target}/file-{{ i }}.conf:\n  file.managed:\n    - source: salt://bench/template.conf.j2\n    - template: jinja\n    - mode: '0644'\n    - context:\n        index: {{ i }}\n{% endfor %}\n`,
  );
  fs.writeFileSync(
    path.join(states, 'bench', 'template.conf.j2'),
    '# managed by brine\n[service]\nname = svc-{{ index }}\nhost = {{ grains["host"] }}\n{% for p in [80, 443, 8080] %}listen = {{ p + index }}\n{% endfor %}password = {{ pillar.get("secret", "none") }}\n',
  );
  const etc = path.join(dir, 'etc');
  fs.mkdirSync(etc);
  fs.writeFileSync(
    path.join(etc, 'minion'),
    `id: bench\ngrains:\n  host: bench\nfile_roots:\n  base: [${states}]\npillar_roots:\n  base: [${path.join(dir, 'pillars')}]\ncachedir: ${path.join(dir, 'cache')}\n`,
  );
  return { configDir: etc, target };
}

function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; status: number | null; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stderr: r.stderr ?? '' };
}

function best(n: number, f: () => number): number {
  let m = Infinity;
  for (let i = 0; i < n; i++) m = Math.min(m, f());
  return m;
}

const PEER_PY = `
import sys, os, jinja2
target, n = sys.argv[1], int(sys.argv[2])
tpl = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(open(sys.argv[3]).read())
for i in range(n):
    text = tpl.render(index=i, grains={"host": "bench"}, pillar={})
    p = os.path.join(target, "file-%d.conf" % i)
    try:
        same = open(p).read() == text
    except FileNotFoundError:
        same = False
    if not same:
        with open(p, "w") as f: f.write(text)
        os.chmod(p, 0o644)
`;

function masterless(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-bench-'));
  try {
    const { configDir, target } = makeTree(dir);
    const args = [BRINE, 'call', '--local', '-c', configDir, 'state.apply', 'bench.files', '--out', 'quiet'];
    const first = timeCommand(process.execPath, args);
    if (first.status !== 0) throw new Error(`first run failed (${first.status}): ${first.stderr}`);
    const written = fs.readdirSync(target).length;
    if (written !== STATES) throw new Error(`first run wrote ${written} files, expected ${STATES}`);
    const second = timeCommand(process.execPath, args);
    if (second.status !== 0) throw new Error(`second run failed (${second.status}): ${second.stderr}`);
    const nodeStart = best(3, () => timeCommand(process.execPath, ['-e', '0']).ms);

    let peer: { first: number; second: number } | undefined;
    const py = spawnSync('python3', ['-c', 'import jinja2'], { encoding: 'utf8' });
    if (py.status === 0) {
      const peerDir = path.join(dir, 'peer');
      fs.mkdirSync(peerDir);
      const tpl = path.join(dir, 'states', 'bench', 'template.conf.j2');
      const run = () => timeCommand('python3', ['-c', PEER_PY, peerDir, String(STATES), tpl]).ms;
      peer = { first: run(), second: run() };
    }

    const line = (label: string, ms: number) =>
      `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / STATES).toFixed(3)} ms/state  ` +
      `Salt 3006 reference / brine = ${(SALT_REFERENCE_MS / ms).toFixed(1)}x` +
      (peer ? `  brine / python+jinja2 peer = ${(ms / (label.includes('first') ? peer.first : peer.second)).toFixed(2)}x` : '');
    process.stdout.write(`brine bench: state.apply of ${STATES} templated file.managed states (whole CLI process)\n`);
    process.stdout.write(`${line('first run (writes every file)', first.ms)}\n`);
    process.stdout.write(`${line('second run (no changes)', second.ms)}\n`);
    process.stdout.write(`node process start alone              ${nodeStart.toFixed(0).padStart(6)} ms\n`);
    if (peer) {
      process.stdout.write(`python+jinja2 peer, first / second   ${peer.first.toFixed(0).padStart(6)} / ${peer.second.toFixed(0)} ms (render+compare+write only, no engine)\n`);
    } else {
      process.stdout.write('python+jinja2 peer: skipped (python3 has no jinja2 module)\n');
    }
    const target1s = first.ms < 1000 && second.ms < 1000;
    process.stdout.write(`target (< 1000 ms each): ${target1s ? 'met' : 'NOT met'}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.includes('--scale');
  if (!only) {
    masterless();
    await fleetRoundTrip(quick ? [1, 10] : [1, 10, 100]);
  }
  const minions = Number(process.env.BRINE_BENCH_MINIONS ?? (quick ? 300 : 10_000));
  // one nats-server holds at most ~19,900 connections here (20,000 open files per process)
  const sizes = { minions, stateMinions: quick ? 50 : 1000, cluster: process.env.BRINE_BENCH_CLUSTER === '1' || minions > 19_000 };
  process.stdout.write(`brine bench: fleet scale, ${sizes.minions} emulated minions (bench/swarm) against a real master\n`);
  const rows = await fleetScale(sizes);
  process.stdout.write(`${scaleTable(rows)}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
