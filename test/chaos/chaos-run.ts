/**
 * One chaos run: `marvelo run` on a join network, with one worker killed (SIGKILL) at a moment chosen
 * by a seed: while the client loads the network (a worker started before its job is known, seen in the
 * process table), when the workers have started, or after the sink has printed k of its lines. The run
 * must end with a coded failure that names the killed job, or (when the kill came after that job's end)
 * with the exact output; it must never hang, and must leave no process and no run folder behind.
 * No vitest here: `npm run soak` runs many more of these than the tests do.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RUN_ARG } from '../../src/launch/worker-args.js';
import { packageRoot } from '../../src/paths.js';
import { processesTagged } from '../helpers/process-table.js';

export const CHAOS_JOBS = ['count1', 'count2', 'count3', 'join', 'sink'] as const;
/** Values per counter in test/fixtures/run/chaos-join.yaml. */
export const CHAOS_BLOCKS = 100;
/** Failure codes that say a worker died (a peer that saw its connection break says MRV_WIRE_CONNECT). */
const DEATH_CODES = ['MRV_LAUNCH_WORKER'];

/** A run not over after this long hangs. Generous: the machine may be loaded; a run takes ~1 s. */
const HANG_MS = 60_000;
/** Processes of the run must be gone this long after the client exits (the workers exit with it). */
const GONE_MS = 5_000;

export interface ChaosPlan {
  seed: number;
  /** 'load': a worker started while the client loads the network, before it has a job (the `boot`-th to appear). */
  when: 'load' | 'stream';
  /** The job killed ('stream'); with 'load', which job the worker would have run is not known. */
  victim: (typeof CHAOS_JOBS)[number] | undefined;
  /** 'load': kill the worker that is n-th (1-based) in the process table. */
  boot: number;
  /** 'stream': kill after the sink printed this many lines; 0 = as soon as every worker has started. */
  afterLines: number;
}

/** Share of the runs that kill a worker while the network loads. */
const LOAD_SHARE = 0.15;

export interface ChaosOutcome {
  plan: ChaosPlan;
  /** The kill hit a live process (false: the victim had already exited). */
  killed: boolean;
  exitCode: number | null;
  failure: { job: string; code?: string; message: string } | undefined;
  sinkLines: number;
  /** Everything that broke a rule; empty when the run behaved. */
  problems: string[];
}

export function chaosPlan(seed: number): ChaosPlan {
  const rand = mulberry32(seed);
  const when = rand() < LOAD_SHARE ? 'load' : 'stream';
  const job = Math.floor(rand() * CHAOS_JOBS.length);
  const afterLines = Math.floor(rand() * (CHAOS_BLOCKS + 1));
  return when === 'load'
    ? { seed, when, victim: undefined, boot: job + 1, afterLines: 0 }
    : { seed, when, victim: CHAOS_JOBS[job], boot: 0, afterLines };
}

export function describePlan(p: ChaosPlan): string {
  return p.when === 'load' ? `seed ${p.seed} (kill worker ${p.boot} while loading)` : `seed ${p.seed} (kill ${p.victim} after ${p.afterLines} sink lines)`;
}

export async function chaosRun(seed: number): Promise<ChaosOutcome> {
  const plan = chaosPlan(seed);
  const root = packageRoot();
  const tmp = mkdtempSync(join(tmpdir(), 'mvc-'));
  const tag = randomUUID();
  const problems: string[] = [];
  const pids = new Map<string, number>();
  const sink: string[] = [];
  let killed = false;
  let killDone = false;
  const stderrTail: string[] = [];

  const cli = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'run', join(root, 'test', 'fixtures', 'run', 'chaos-join.yaml'), '--json', '--verbose'], {
    cwd: tmp,
    env: { ...process.env, TMPDIR: tmp, MARVELO_TEST_TAG: tag, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = (pid: number | undefined) => {
    if (killDone) return;
    killDone = true;
    if (pid === undefined) return problems.push(`no pid was printed for job '${plan.victim}'`);
    try {
      process.kill(pid, 'SIGKILL');
      killed = true;
    } catch {
      // it had exited already
    }
  };
  // With --json, job output and the --verbose lines are on stderr; the summary is on stdout.
  createInterface({ input: cli.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 30) stderrTail.shift();
    const started = /^\[marvelo\] (\S+) on \S+ pid (\d+)/.exec(line);
    if (started) {
      pids.set(started[1]!, Number(started[2]));
      if (plan.when === 'stream' && plan.afterLines === 0 && pids.size === CHAOS_JOBS.length) kill(pids.get(plan.victim!));
      return;
    }
    const value = /^sink\s*\| (.*)$/.exec(line);
    if (value) {
      sink.push(value[1]!);
      if (plan.when === 'stream' && sink.length === plan.afterLines) kill(pids.get(plan.victim!));
    }
  });
  // While loading, nothing is printed: watch the process table for the run's workers.
  const watch =
    plan.when === 'load'
      ? setInterval(() => {
          const workers = workersOf(processesTagged(tag)).sort((a, b) => a - b);
          if (workers.length >= plan.boot) {
            clearInterval(watch);
            kill(workers[plan.boot - 1]);
          }
        }, 5)
      : undefined;
  let stdout = '';
  cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exit = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
  let hangTimer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (hangTimer = setTimeout(() => resolve('hang'), HANG_MS)));
  let exitCode = await Promise.race([exit, hang]);
  clearTimeout(hangTimer);
  clearInterval(watch);
  if (!killDone) problems.push('the run ended before the kill');
  if (exitCode === 'hang') {
    problems.push(`the run did not end within ${HANG_MS / 1000} s`);
    cli.kill('SIGKILL');
    exitCode = await exit;
  }

  let failure: ChaosOutcome['failure'];
  try {
    const summary = JSON.parse(stdout) as { status: string; failure?: { job: string; code?: string; message: string } };
    failure = summary.failure;
  } catch {
    problems.push(`no JSON summary on stdout (${stdout.length} bytes)`);
  }
  if (exitCode === 0) {
    const wrong = firstWrongLine(sink);
    if (sink.length !== CHAOS_BLOCKS || wrong !== undefined) {
      problems.push(`finished, but the sink printed ${sink.length} lines${wrong ? `, ${wrong}` : ''}`);
    }
  } else if (exitCode === 1) {
    if (!failure) problems.push('exit code 1 without a failure in the summary');
    else {
      if (plan.victim !== undefined && failure.job !== plan.victim) problems.push(`the failure names job '${failure.job}', not the killed job '${plan.victim}'`);
      if (!(CHAOS_JOBS as readonly string[]).includes(failure.job)) problems.push(`the failure names '${failure.job}', not a job of the network`);
      if (!DEATH_CODES.includes(failure.code ?? '')) problems.push(`the failure's code is ${failure.code}, not one of ${DEATH_CODES.join(', ')}`);
    }
    if (!killed) problems.push('the run failed, but the kill found no process');
    const wrong = firstWrongLine(sink);
    if (wrong) problems.push(`the sink printed a wrong value before the failure: ${wrong}`);
  } else {
    problems.push(`exit code ${exitCode} (expected 1, or 0 with the exact output)`);
  }
  // No job of this network throws: any stack shown is marvelo's own.
  if (stderrTail.some((l) => /^\s+at /.test(l))) problems.push('a stack trace was printed');

  // The client has exited: its workers must be gone (bounded wait, not a fixed delay).
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
  const folders = readdirSync(tmp);
  if (folders.length > 0) problems.push(`left in the temporary folder: ${folders.join(', ')}`);
  rmSync(tmp, { recursive: true, force: true });
  if (problems.length > 0) problems.push(`last lines of stderr:\n${stderrTail.join('\n')}`);
  return { plan, killed, exitCode, failure, sinkLines: sink.length, problems };
}

/** The worker processes among `pids` (the others are the client and its esbuild service). */
function workersOf(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').includes(RUN_ARG);
    } catch {
      return false; // it ended while we looked
    }
  });
}

/** The first line that is not 6 i^3, as "line i: got x", or undefined. */
function firstWrongLine(lines: string[]): string | undefined {
  for (let i = 1; i <= lines.length; i++) {
    if (lines[i - 1] !== String(6 * i ** 3)) return `line ${i}: got ${lines[i - 1]}, expected ${6 * i ** 3}`;
  }
  return undefined;
}

/** Runs `count` seeded chaos runs from `firstSeed`, `parallel` at a time. */
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

/** A small seeded PRNG (mulberry32): the same seed gives the same plan on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
