/**
 * The failover soak: a long stream through source -> connector -> join -> sink (the source also feeds
 * the join), connector and join with `on_failure: restart`, their workers killed with SIGKILL again and
 * again (by turns, and both at once every third time); the sink must see every value once, in order, no
 * dummy, and no worker may be left. The source waits at each kill's point in the stream until that
 * kill's restarts are done, so every kill happens however fast the stream or slow the machine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, type RunEvent } from '../../src/api/run.js';
import { packageRoot } from '../../src/paths.js';
import { withTempDir } from '../lib/temp-dir.js';

const JOBS = join(packageRoot(), 'test', 'fixtures', 'failover', 'jobs.ts');

export interface FailoverSoak {
  problems: string[];
  restarts: number;
  seconds: number;
}

export function failoverSoak(blocks: number, kills: number): Promise<FailoverSoak> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'failover-soak.yaml');
    const restart = `on_failure: restart, max_retries: ${kills}, retry_backoff: 0`;
    // kill k once the sink has the first (k + 1) / (kills + 1) of the stream; the source waits just after it
    const thresholds = Array.from({ length: kills }, (_, k) => Math.floor(((k + 1) * blocks) / (kills + 1)));
    const gates = JSON.stringify(thresholds.map((t) => t + 1));
    writeFileSync(
      file,
      [
        'name: failover-soak',
        'jobs:',
        `  - { name: source, uses: ${JOBS}#GatedNumbers, params: { limit: ${blocks}, gates: ${gates}, dir: ${JSON.stringify(dir)} }, outputs: [x1, x2] }`,
        `  - { name: double, uses: ${JOBS}#Double, inputs: [x1], outputs: [d], ${restart} }`,
        `  - { name: join, uses: ${JOBS}#Pair, inputs: [d, x2], outputs: [y], ${restart} }`,
        `  - { name: sink, uses: ${JOBS}#Check, inputs: [y] }`,
        '',
      ].join('\n'),
    );
    const victims = (k: number): string[] => (k % 3 === 2 ? ['double', 'join'] : [k % 2 === 0 ? 'double' : 'join']);
    const current = new Map<string, number>();
    const seen = new Set<number>();
    const lines: string[] = [];
    let restarted = 0;
    let owed = 0;
    let k = 0;
    const started = Date.now();
    const handle = startRun(file, {
      cwd: dir,
      runDir: join(dir, 'run'),
      metricsMs: 100,
      onEvent: (e: RunEvent) => {
        if (e.type === 'started') for (const w of e.workers) if (w.pid !== undefined) current.set(w.job, w.pid);
        if (e.type === 'job-restarted') {
          restarted++;
          owed--;
          // every victim of the last kill runs again: the stream may go on past its gate
          if (owed === 0) writeFileSync(join(dir, `go-${k - 1}`), '');
          if (e.pid !== undefined) current.set(e.job, e.pid);
        }
        for (const pid of current.values()) seen.add(pid);
        if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
        // the next kill once the sink is past its share of the stream and the last kill's restarts are done
        if (e.type === 'metrics' && e.job === 'sink' && k < kills && owed === 0 && e.stats.rounds >= thresholds[k]!) {
          for (const job of victims(k)) {
            process.kill(current.get(job)!, 'SIGKILL');
            owed++;
          }
          k++;
        }
      },
    });
    const result = await handle.done;
    const problems: string[] = [];
    if (result.exitCode !== 0) problems.push(`exit ${result.exitCode}${result.summary.failure ? `: ${result.summary.failure.message}` : ''}`);
    if (k < kills) problems.push(`only ${k} of ${kills} kills happened before the stream ended`);
    const expected = `count ${blocks} wrong 0 dummies 0`;
    if (lines.join('\n') !== expected) problems.push(`the sink printed ${JSON.stringify(lines)}, expected ${expected}`);
    const alive = [...seen].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    if (alive.length > 0) problems.push(`workers left: ${alive.join(', ')}`);
    return { problems, restarts: restarted, seconds: (Date.now() - started) / 1000 };
  });
}
