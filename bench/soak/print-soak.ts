/**
 * The print soak: `marvelo run` on a job printing N lines of 100 characters, its output read from a
 * pipe. Every line must arrive, once, in order, whole, and the run must finish (exit 0).
 */
import { join } from 'node:path';
import { benchNetwork, materializeNetwork } from '../lib/network-file.js';
import { describeExit, forEachLine, spawnOwned } from '../lib/processes.js';
import { nowNs } from '../lib/clock.js';
import { withTempDir } from '../lib/temp-dir.js';
import { packageRoot } from '../../src/paths.js';

export interface PrintSoakResult {
  lines: number;
  received: number;
  seconds: number;
  problems: string[];
}

const LINE = /^printer \| (\d+) \.+$/;
const WIDTH = 100;

export async function printSoak(lines: number): Promise<PrintSoakResult> {
  return withTempDir(async (dir) => {
    const file = materializeNetwork(benchNetwork('soak-print'), { count: { blocks: lines }, printer: { width: WIDTH } }, dir);
    const start = nowNs();
    const cli = spawnOwned(process.execPath, [join(packageRoot(), 'dist', 'cli', 'main.js'), 'run', file], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const problems: string[] = [];
    let received = 0;
    let firstProblem: string | undefined;
    forEachLine(cli.child.stdout, (line) => {
      const m = LINE.exec(line);
      const expected = received + 1;
      if (m === null || Number(m[1]) !== expected || line.length !== 'printer | '.length + WIDTH) {
        firstProblem ??= `line ${expected} of the output: ${line.slice(0, 60)}`;
      }
      received++;
    });
    const stderr: string[] = [];
    forEachLine(cli.child.stderr, (line) => stderr.push(line));
    const exit = await cli.exited;
    await cli.closed;
    const seconds = (nowNs() - start) / 1e9;
    if (exit.code !== 0) problems.push(`marvelo run ${describeExit(exit)}: ${stderr.filter((l) => /error/.test(l)).join(' | ').slice(0, 400)}`);
    if (received !== lines) problems.push(`${received} of ${lines} lines arrived`);
    if (firstProblem) problems.push(`out of order or damaged: ${firstProblem}`);
    return { lines, received, seconds, problems };
  });
}
