/**
 * Reads an original MARVELO network folder by importing its config.py in a Python subprocess (never in
 * this process): python/marvelo_import/read_network.py prints the network as JSON.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MarveloError, displayPath } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { OriginalConfigError, OriginalNetwork } from './original.js';

/** The longest config.py may take to build its network. */
const READ_TIMEOUT_MS = 60_000;

export interface ReadOptions {
  /** The Python interpreter (default: $MARVELO_PYTHON, else python3). */
  python?: string;
}

export async function readOriginalNetwork(folder: string, opts: ReadOptions = {}): Promise<OriginalNetwork> {
  const dir = resolve(folder);
  checkNetworkFolder(dir);
  const python = opts.python ?? (process.env.MARVELO_PYTHON || 'python3');
  const script = join(packageRoot(), 'python', 'marvelo_import', 'read_network.py');
  const { code, stdout, stderr, spawnError, timedOut } = await runPython(python, ['-B', script, dir]);
  if (spawnError !== undefined) {
    throw new MarveloError('MRV_IMPORT_PYTHON', `cannot start the Python interpreter '${python}' (${spawnError}), which reads config.py`, {
      hint: 'install Python 3.8 or newer (e.g. apt-get install python3), or set MARVELO_PYTHON to its path',
    });
  }
  if (timedOut) {
    throw new MarveloError('MRV_IMPORT_CONFIG', `${displayPath(join(dir, 'config.py'))} did not finish within ${READ_TIMEOUT_MS / 1000} s`, {
      hint: 'config.py should only build jobs, pipes and nodes; move anything that runs or waits into the jobs',
    });
  }
  const parsed = lastJsonLine(stdout);
  if (code !== 0 || parsed === undefined) {
    throw new MarveloError('MRV_IMPORT_CONFIG', `reading ${displayPath(join(dir, 'config.py'))} with ${python} failed (exit ${code}):\n${tail(stderr)}`, {
      hint: 'run `python3 -c "import <network>.config"` in the project folder to see why',
    });
  }
  if ('error' in parsed) throw configError(parsed as unknown as OriginalConfigError, dir);
  return parsed as unknown as OriginalNetwork;
}

function checkNetworkFolder(dir: string): void {
  const exists = existsSync(dir);
  if (!exists || !statSync(dir).isDirectory()) {
    throw new MarveloError('MRV_IMPORT_FOLDER', `${displayPath(dir)} ${exists ? 'is not a folder' : 'does not exist'}`, {
      hint: 'give the folder of an original MARVELO network: the one that holds its config.py (e.g. example_networks/demo_network_v1)',
    });
  }
  if (!existsSync(join(dir, 'config.py'))) {
    throw new MarveloError('MRV_IMPORT_FOLDER', `${displayPath(dir)} is not a MARVELO network: it has no config.py`, {
      hint: 'give the folder of one network (manage.py <network> startnetwork makes config.py, jobs/, pipes/ and nodes/ there), not the project folder',
    });
  }
}

function configError(e: OriginalConfigError, dir: string): MarveloError {
  const where = e.file !== null && e.line !== null ? { file: e.file, line: e.line, col: 1 } : undefined;
  const project = dirname(dir);
  const top = e.missing_module?.split('.')[0];
  const hint =
    top !== undefined && !existsSync(join(project, top))
      ? `no module ${top} in the project folder ${displayPath(project)} nor installed for this Python: install it (e.g. pip install ${top}) or, if it is a network of the project, check its name`
      : 'config.py is imported as the original did (the project folder as working folder and on sys.path); fix the error it shows, or the import path of its modules';
  return new MarveloError('MRV_IMPORT_CONFIG', `${displayPath(join(dir, 'config.py'))} raised ${e.message}\n${e.traceback.map((l) => `    ${l}`).join('\n')}`, { where, hint });
}

function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  const line = stdout.trimEnd().split('\n').pop();
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function tail(text: string, lines = 8): string {
  return text.trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
}

interface PythonResult {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
  timedOut: boolean;
}

function runPython(python: string, args: string[]): Promise<PythonResult> {
  return new Promise((done) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, READ_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr, spawnError: err.code ?? err.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, timedOut });
    });
  });
}
