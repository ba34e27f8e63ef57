/**
 * The project as the controllers see it: the checkout bound read-only at its own path (plus
 * node_modules' real place when it is a link out of the checkout), and the host's node binary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project's root directory (this file is dist/test/lab/project.js once built). */
export function projectDir(): string {
  const dir = fs.realpathSync(path.resolve(__dirname, '..', '..', '..'));
  if (!fs.existsSync(path.join(dir, 'bin', 'brine'))) throw new Error(`${dir} does not look like the brine project (no bin/brine)`);
  if (/[\s,:"'\\]/.test(dir)) throw new Error(`the project path ${dir} must not contain spaces, commas, colons, quotes or backslashes`);
  return dir;
}

/** Host directories bound read-only into each controller at the same path: the project, and node_modules' target if it lies outside. */
export function readOnlyBinds(project: string): string[] {
  const binds = [project];
  const nm = path.join(project, 'node_modules');
  if (fs.existsSync(nm)) {
    const real = fs.realpathSync(nm);
    if (real !== nm && !real.startsWith(`${project}/`)) binds.push(real);
  }
  return binds;
}

/** The host's node binary (the one running this), bound read-only into each controller. */
export function nodeBinary(): string {
  return fs.realpathSync(process.execPath);
}
