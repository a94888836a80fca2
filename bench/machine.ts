import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { packageRoot } from '../src/paths.js';

export interface Machine {
  node: string;
  cpus: number;
  model: string;
  platform: string;
  memoryGB: number;
  loadAverage: number[];
  /**
   * NODE_EXTRA_CA_CERTS is set: on Node 20 every Node process then parses every CA certificate before
   * it runs any code (nodejs/node#40524), ~50 ms of CPU per process on the reference machine. Every
   * process of the bench inherits it (startup: ~250 ms more for the 7 processes of the demo).
   */
  extraCaCerts: boolean;
  /** The commit measured, and whether src/ or jobs/ had uncommitted changes (dist/ is built from the working tree). */
  git: { commit: string; dirty: boolean } | undefined;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    extraCaCerts: (process.env.NODE_EXTRA_CA_CERTS ?? '') !== '',
    git: gitState(),
  };
}

function gitState(): Machine['git'] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'jobs') !== '' };
  } catch {
    return undefined; // not a git checkout
  }
}

export function formatMachine(m: Machine): string {
  const git = m.git ? ` | commit ${m.git.commit}${m.git.dirty ? ' + uncommitted src changes' : ''}` : '';
  const ca = m.extraCaCerts ? ' | NODE_EXTRA_CA_CERTS set (slower process start)' : '';
  return `node ${m.node} | ${m.cpus} x ${m.model} | ${m.platform} | ${m.memoryGB} GB | load ${m.loadAverage.join(' ')}${ca}${git}`;
}
