/**
 * One chaos run: `marvelo run` on a join network, with one worker killed (SIGKILL) at a moment chosen
 * by a seed (chaos-plan.ts): while the client loads the network (a worker started before its job is
 * known, seen in the process table), when the workers have started, or after the sink has printed k of
 * its lines. It must end as chaos-rules.ts says, never hang, and leave no process and no run folder.
 * No vitest here: `npm run soak` runs many more of these than the tests do.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../src/paths.js';
import { processesTagged, workerProcesses } from '../helpers/process-table.js';
import { CHAOS_JOBS, chaosPlan, type ChaosPlan } from './chaos-plan.js';
import { judge, type RunRecord } from './chaos-rules.js';

/** A run not over after this long hangs. Generous: the machine may be loaded; a run takes ~1 s. */
const HANG_MS = 60_000;
/** Processes of the run must be gone this long after the client exits (the workers exit with it). */
const GONE_MS = 5_000;
/** How often the process table is read while the network loads. */
const WATCH_MS = 5;

export interface ChaosOutcome {
  plan: ChaosPlan;
  exitCode: number | null;
  /** Everything that broke a rule; empty when the run behaved. */
  problems: string[];
}

export async function chaosRun(seed: number): Promise<ChaosOutcome> {
  const plan = chaosPlan(seed);
  const tmp = mkdtempSync(join(tmpdir(), 'mvc-'));
  const tag = randomUUID();
  const { record, problems } = await runWithKill(plan, tmp, tag);
  problems.push(...judge(plan, record), ...(await leftovers(tag, tmp)));
  rmSync(tmp, { recursive: true, force: true });
  rmSync(runsDirBeside(tmp), { recursive: true, force: true });
  if (problems.length > 0) problems.push(`last lines of stderr:\n${record.stderrTail.join('\n')}`);
  return { plan, exitCode: record.exitCode, problems };
}

/** The run's record goes beside `tmp`, which must be left empty. */
function runsDirBeside(tmp: string): string {
  return `${tmp}-runs`;
}

/** Runs the network in `tmp` (its working and temporary folder) and kills as planned. */
async function runWithKill(plan: ChaosPlan, tmp: string, tag: string): Promise<{ record: RunRecord; problems: string[] }> {
  const root = packageRoot();
  const problems: string[] = [];
  const record: RunRecord = { exitCode: null, killed: false, summary: undefined, sink: [], stderrTail: [] };
  const cli = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'run', join(root, 'test', 'fixtures', 'run', 'chaos-join.yaml'), '--json', '--verbose'], {
    cwd: tmp,
    env: { ...process.env, TMPDIR: tmp, MARVELO_RUNS_DIR: runsDirBeside(tmp), MARVELO_TEST_TAG: tag, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let killDone = false;
  const kill = (pid: number | undefined) => {
    if (killDone) return;
    killDone = true;
    if (pid === undefined) return problems.push(`no pid was printed for job '${plan.victim}'`);
    try {
      process.kill(pid, 'SIGKILL');
      record.killed = true;
    } catch {
      // it had exited already
    }
  };
  // With --json, job output and the --verbose lines are on stderr; the summary is on stdout.
  const pids = new Map<string, number>();
  createInterface({ input: cli.stderr }).on('line', (line) => {
    record.stderrTail.push(line);
    if (record.stderrTail.length > 30) record.stderrTail.shift();
    const started = /^\[marvelo\] (\S+) on \S+ pid (\d+)/.exec(line);
    if (started) {
      pids.set(started[1]!, Number(started[2]));
      if (plan.when === 'stream' && plan.afterLines === 0 && pids.size === CHAOS_JOBS.length) kill(pids.get(plan.victim!));
      return;
    }
    const value = /^sink\s*\| (.*)$/.exec(line);
    if (value) {
      record.sink.push(value[1]!);
      if (plan.when === 'stream' && record.sink.length === plan.afterLines) kill(pids.get(plan.victim!));
    }
  });
  // While loading, nothing is printed: watch the process table for the run's workers.
  const watch =
    plan.when === 'load'
      ? setInterval(() => {
          const workers = workerProcesses(processesTagged(tag)).sort((a, b) => a - b);
          if (workers.length >= plan.boot) {
            clearInterval(watch);
            kill(workers[plan.boot - 1]);
          }
        }, WATCH_MS)
      : undefined;
  let stdout = '';
  cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));

  const exit = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
  let hangTimer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (hangTimer = setTimeout(() => resolve('hang'), HANG_MS)));
  const ended = await Promise.race([exit, hang]);
  clearTimeout(hangTimer);
  clearInterval(watch);
  if (!killDone) problems.push('the run ended before the kill');
  if (ended === 'hang') {
    problems.push(`the run did not end within ${HANG_MS / 1000} s`);
    cli.kill('SIGKILL');
  }
  record.exitCode = await exit;
  try {
    record.summary = JSON.parse(stdout) as RunRecord['summary'];
  } catch {
    // judge() says so
  }
  return { record, problems };
}

/** Processes of the run still there once the client exited (bounded wait), and what is left in `tmp`. */
async function leftovers(tag: string, tmp: string): Promise<string[]> {
  const problems: string[] = [];
  const deadline = Date.now() + GONE_MS;
  while (processesTagged(tag).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const left = processesTagged(tag);
  if (left.length > 0) {
    problems.push(`processes left ${GONE_MS / 1000} s after the client exited: ${left.join(', ')}`);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  const files = readdirSync(tmp);
  if (files.length > 0) problems.push(`left in the temporary folder: ${files.join(', ')}`);
  return problems;
}

/** Runs `count` seeded chaos runs from `firstSeed`, `parallel` at a time; `onDone` sees each as it ends. */
export async function chaosRuns(firstSeed: number, count: number, parallel: number, onDone?: (o: ChaosOutcome) => void): Promise<ChaosOutcome[]> {
  const outcomes: ChaosOutcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const o = await chaosRun(firstSeed + next++);
      outcomes.push(o);
      onDone?.(o);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return outcomes.sort((a, b) => a.plan.seed - b.plan.seed);
}
