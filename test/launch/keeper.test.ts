import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { KEEPER_SCRIPT } from '../../src/launch/keeper.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A process leading its own process group, as a worker does. */
function groupLeader(): ChildProcess {
  const p = spawn('/bin/sh', ['-c', 'sleep 600 & wait'], { stdio: 'ignore', detached: true });
  onTestFinished(() => {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return p;
}

function exited(p: ChildProcess): Promise<NodeJS.Signals | null> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve(p.signalCode) : new Promise((r) => p.once('exit', (_c, s) => r(s)));
}

/** Running, not a zombie (a killed child of ours stays one until the event loop reaps it). */
function running(p: ChildProcess): boolean {
  const stat = readFileSync(`/proc/${p.pid}/stat`, 'latin1');
  return stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

/** Runs the keeper with `lines` as its whole input: the input ends without `end`, as when the client dies. */
function keeperGiven(lines: string[]): number | null {
  return spawnSync('/bin/sh', ['-c', KEEPER_SCRIPT], { input: lines.map((l) => l + '\n').join('') }).status;
}

describe('keeper - a run\'s workers end with its client', () => {
  it('kills the process group of every worker it watches and removes the folder when its input ends without `end`', async () => {
    const [a, b] = [groupLeader(), groupLeader()];
    const dir = join(tempDir(), 'run folder with spaces');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f'), '');
    expect(keeperGiven([`pid ${a.pid}`, `dir ${dir}`, `pid ${b.pid}`])).toBe(0);
    expect(await exited(a)).toBe('SIGKILL');
    expect(await exited(b)).toBe('SIGKILL');
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves alone a worker that exited (its pid may be reused) and everything after `end`', async () => {
    const [a, b, c] = [groupLeader(), groupLeader(), groupLeader()];
    expect(keeperGiven([`pid ${a.pid}`, `pid ${b.pid}`, `pid ${c.pid}`, `gone ${b.pid}`])).toBe(0);
    expect(await exited(a)).toBe('SIGKILL');
    expect(await exited(c)).toBe('SIGKILL');
    expect(running(b)).toBe(true);

    const dir = tempDir();
    const d = groupLeader();
    expect(keeperGiven([`pid ${d.pid}`, `dir ${dir}`, 'end'])).toBe(0);
    expect(running(d)).toBe(true);
    expect(existsSync(dir)).toBe(true);
  });
});
