/**
 * `marvelo schedule net.yaml`: starts a run of the network at each fire of its `schedule:` until Ctrl-C
 * (or past `ends`); `marvelo schedule pause|resume net.yaml` switch its fires off and on.
 */
import { resolve } from 'node:path';
import { displayPath } from '../errors.js';
import type { ScheduleEvent } from '../schedule/scheduler.js';
import { scheduleOf, startSchedule, type ScheduleHandle } from '../schedule/run-schedule.js';
import { readScheduleState, scheduleFilesOf, writeScheduleState } from '../schedule/state.js';
import { reportFatal } from './report.js';
import { showDuration } from '../config/duration.js';

interface ScheduleFlags {
  runsDir?: string;
  quiet?: boolean;
}

export async function scheduleCommand(file: string, flags: ScheduleFlags): Promise<number> {
  let handle: ScheduleHandle | undefined;
  let interrupts = 0;
  // Installed first: a Ctrl-C while the network file loads must not kill the process uncleanly.
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      say('[marvelo] interrupted: no more fires; stopping the runs it started (Ctrl-C again to force)');
      void handle?.stop();
    } else {
      handle?.kill();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    handle = await startSchedule(file, { runsDir: flags.runsDir, onEvent: (e) => say(describe(e)) });
    const { spec } = handle;
    say(`[marvelo] schedule of ${handle.networkName}: "${spec.cron}" in ${spec.timezone}, concurrency ${spec.concurrency}${spec.startingDeadlineMs === undefined ? '' : `, starting deadline ${showDuration(spec.startingDeadlineMs)}`}; history in ${displayPath(handle.files.history)} (Ctrl-C stops it and its runs)`);
    if (readScheduleState(handle.files.state)?.paused) say(`[marvelo] the schedule is paused: its fires are skipped until marvelo schedule resume ${file}`);
    if (interrupts > 0) void handle.stop();
    await handle.finished;
    return interrupts > 0 ? 130 : 0;
  } catch (e) {
    return reportFatal(e);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** pause or resume: writes the state file the running scheduler reads before each fire. */
export async function schedulePauseCommand(file: string, paused: boolean, flags: ScheduleFlags): Promise<number> {
  try {
    const { name } = await scheduleOf(file);
    const files = scheduleFilesOf(file, name, flags.runsDir);
    writeScheduleState(files.state, resolve(file), paused);
    say(`[marvelo] schedule of ${name} ${paused ? 'paused: its fires are skipped (runs already going are not touched)' : 'resumed: it runs at its next fire (fires skipped meanwhile are not made up)'} (${displayPath(files.state)})`);
    return 0;
  } catch (e) {
    return reportFatal(e);
  }
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

function describe(e: ScheduleEvent): string {
  switch (e.type) {
    case 'schedule.waiting':
      return `[marvelo] next fire at ${e.next}`;
    case 'schedule.fired':
      return `[marvelo] fired for ${e.scheduledFor}${e.lateMs >= 1000 ? ` (${showDuration(e.lateMs)} late)` : ''}: run ${e.runId}`;
    case 'schedule.skipped':
      return e.reason === 'paused'
        ? `[marvelo] skipped the fire for ${e.scheduledFor}${e.count > 1 ? ` and ${e.count - 1} before it` : ''}: the schedule is paused`
        : `[marvelo] skipped the fire for ${e.scheduledFor}: run ${e.activeRuns.join(', ')} still goes (concurrency forbid)`;
    case 'schedule.missed':
      return `[marvelo] missed ${e.atLeast ? 'at least ' : ''}${e.count} fire${e.count > 1 ? 's' : ''} from ${e.first} to ${e.last}: ${e.reason === 'deadline' ? 'later than the starting deadline' : 'a later fire ran instead (never backfilled)'}`;
    case 'schedule.replacing':
      return `[marvelo] stopping run ${e.runIds.join(', ')} to start a new one (concurrency replace)`;
    case 'schedule.run-ended':
      return `[marvelo] run ${e.runId} ${e.ok ? 'succeeded' : `ended with exit code ${e.exitCode}`} (marvelo runs show ${e.runId})`;
    case 'schedule.error':
      return `[marvelo] schedule error: ${e.message} (it goes on)`;
    case 'schedule.ended':
      return e.reason === 'ends' ? '[marvelo] no fire left before the schedule ends' : '[marvelo] schedule stopped';
  }
}
