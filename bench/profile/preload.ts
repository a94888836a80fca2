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
import { argValue, JOB_ARG, JOB_GLOBAL } from '../../src/worker/boot/args.js';

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
  const job = argValue(process.argv, JOB_ARG) ?? (globalThis as Record<symbol, unknown>)[JOB_GLOBAL];
  if (typeof job === 'string') return job;
  const kind = argValue(process.argv, '--kind');
  return kind === undefined ? 'node' : `ceiling-${kind}`;
}
