/**
 * Test support for the pip states and functions, with no network: tiny wheels written in a
 * temp directory (a wheel is a zip with a dist-info), and a throw-away virtualenv so the
 * host's python is never touched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const WHEEL_WRITER = `
import base64, hashlib, os, sys, zipfile
out, name, version = sys.argv[1:4]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": f"__version__ = '{version}'\\n".encode(),
    f"{dist}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode(),
    f"{dist}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: brine-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
digest = lambda d: base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode()
record = "".join(f"{p},sha256={digest(d)},{len(d)}\\n" for p, d in files.items()) + f"{dist}/RECORD,,\\n"
files[f"{dist}/RECORD"] = record.encode()
with zipfile.ZipFile(os.path.join(out, f"{name}-{version}-py3-none-any.whl"), "w") as z:
    for p, d in files.items():
        z.writestr(p, d)
`;

/** Whether python3 with venv and pip is available (the pip tests skip without it). */
export function havePython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Write `<name>-<version>-py3-none-any.whl` into `dir` for each version. */
export function writeWheels(dir: string, name: string, versions: string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const v of versions) execFileSync('python3', ['-c', WHEEL_WRITER, dir, name, v], { stdio: 'pipe' });
}

/** Create a virtualenv (with pip, from python's bundled wheels: no network). */
export function createVenv(dir: string): void {
  execFileSync('python3', ['-m', 'venv', dir], { stdio: 'pipe' });
}

/** The packages of a virtualenv as `{name: version}`, read with pip directly (the test's own oracle). */
export function venvPackages(venv: string): Record<string, string> {
  const out = execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const list = JSON.parse(out) as Array<{ name: string; version: string }>;
  return Object.fromEntries(list.map((p) => [p.name, p.version]));
}

/** Uninstall packages from a virtualenv directly (test setup), ignoring ones not installed. */
export function venvUninstall(venv: string, names: string[]): void {
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', '--disable-pip-version-check', ...names], { stdio: 'ignore' });
}

/** Install packages into a virtualenv directly from a wheel directory (test setup). */
export function venvInstall(venv: string, wheels: string, specs: string[]): void {
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--no-index', '--find-links', wheels, '--disable-pip-version-check', ...specs], {
    stdio: 'ignore',
  });
}

/** A temp directory holding a virtualenv and a wheel directory with brinetiny 1.0 and 2.0 and brinesmall 0.1. */
export interface PipLab {
  dir: string;
  venv: string;
  wheels: string;
  cleanup(): void;
}

/** Build a PipLab (about ten seconds: most of it is `python3 -m venv`). */
export function pipLab(): PipLab {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brine-pip-'));
  const venv = path.join(dir, 'venv');
  const wheels = path.join(dir, 'wheels');
  writeWheels(wheels, 'brinetiny', ['1.0', '2.0']);
  writeWheels(wheels, 'brine_small', ['0.1']);
  createVenv(venv);
  return { dir, venv, wheels, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
