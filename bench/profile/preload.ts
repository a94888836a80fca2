/**
 * CPU profiling for processes we cannot add flags to. Node 20 refuses --cpu-prof in NODE_OPTIONS but
 * accepts --import, and workers inherit the client's environment, so:
 *   NODE_OPTIONS="--import=file:///.../dist/bench/profile/preload.js" MARVELO_BENCH_PROFILE_DIR=/tmp/p
 * profiles every process started with it: the inspector's Profiler runs from start-up and the profile
 * is written when the process exits (process.exit included; a SIGKILL loses it).
 * File name: <label>-<pid>.cpuprofile, label = the worker's job (--marvelo-job, or what a prestarted
 * worker learnt from its init), a ceiling stage's kind (--kind), or 'node'.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { JOB_ARG } from '../../src/launch/worker-args.js';

const dir = process.env.MARVELO_BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // the main-thread session answers synchronously, so this completes inside the exit handler
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      writeFileSync(join(dir, `${label()}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

function label(): string {
  const argv = process.argv;
  const job = argv.indexOf(JOB_ARG);
  if (job >= 0 && argv[job + 1]) return argv[job + 1]!;
  const initJob = (globalThis as Record<symbol, unknown>)[Symbol.for('marvelo.job')];
  if (typeof initJob === 'string') return initJob;
  const kind = argv.indexOf('--kind');
  if (kind >= 0 && argv[kind + 1]) return `ceiling-${argv[kind + 1]}`;
  return 'node';
}
