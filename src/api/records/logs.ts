/** Reading the job logs of a record (`logs/<job>.log`), whole or as they grow. */
import { closeSync, openSync, readdirSync, readSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { MarveloError } from '../../errors.js';
import { LOGS_DIR, logFile } from './paths.js';
import { readRun } from './reader.js';
import { TERMINAL, type RunRecord } from './types.js';

/** Takes lines of one job; a promise: wait before reading more (a full stdout). */
export type LineSink = (job: string, lines: string[]) => void | Promise<void>;

const CHUNK = 1 << 20;

/** The jobs that have (or may get) a log: the network's, in its order, then any other log file. */
export function logJobs(runDir: string, record: RunRecord): string[] {
  const jobs = record.jobs.map((j) => j.job);
  let files: string[] = [];
  try {
    files = readdirSync(join(runDir, LOGS_DIR)).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)).sort();
  } catch {
    // no logs folder
  }
  return [...jobs, ...files.filter((f) => !jobs.includes(f))];
}

/** MRV_RUN_RECORD when the run has no job of that name. */
export function checkJob(runDir: string, record: RunRecord, job: string): void {
  const jobs = logJobs(runDir, record);
  if (!jobs.includes(job)) {
    throw new MarveloError('MRV_RUN_RECORD', `run ${record.id} has no job '${job}'${jobs.length > 0 ? `; its jobs are ${jobs.join(', ')}` : ''}`, {
      hint: 'omit the job to see every job\'s output',
    });
  }
}

/** Reads each job's log from where it was left: whole lines only, unless `flush` (the log is complete). */
export class LogTail {
  private readonly files = new Map<string, { offset: number; decoder: StringDecoder; rest: string }>();

  constructor(private readonly runDir: string) {}

  async pump(jobs: string[], flush: boolean, sink: LineSink): Promise<void> {
    for (const job of jobs) {
      let f = this.files.get(job);
      if (!f) this.files.set(job, (f = { offset: 0, decoder: new StringDecoder('utf8'), rest: '' }));
      let fd: number;
      try {
        fd = openSync(logFile(this.runDir, job), 'r');
      } catch {
        continue; // the job printed nothing (yet)
      }
      try {
        const buf = Buffer.allocUnsafe(CHUNK);
        for (;;) {
          const n = readSync(fd, buf, 0, CHUNK, f.offset);
          if (n === 0) break;
          f.offset += n;
          const text = f.rest + f.decoder.write(buf.subarray(0, n));
          const cut = text.lastIndexOf('\n');
          f.rest = text.slice(cut + 1);
          if (cut >= 0) await sink(job, text.slice(0, cut).split('\n'));
        }
      } finally {
        closeSync(fd);
      }
      if (flush) {
        const last = f.rest + f.decoder.end();
        f.rest = '';
        if (last !== '') await sink(job, [last]);
      }
    }
  }
}

/**
 * Sends the jobs' lines to `sink` as they are written, until the run is no longer running (it ended, or
 * its client was lost); resolves with its final record. Wakes on changes to the record's folder, and at
 * least every second (to notice a client that died without a word).
 */
export async function followLogs(runsDir: string, id: string, job: string | undefined, sink: LineSink): Promise<RunRecord> {
  const runDir = join(runsDir, id);
  const tail = new LogTail(runDir);
  let wake: (() => void) | undefined;
  const watchers: FSWatcher[] = [];
  for (const dir of [runDir, join(runDir, LOGS_DIR)]) {
    try {
      watchers.push(watch(dir, () => wake?.()).on('error', () => {}));
    } catch {
      // no such folder yet: the timer still wakes us
    }
  }
  try {
    for (;;) {
      const record = readRun(runsDir, id);
      const ended = TERMINAL.has(record.status);
      await tail.pump(job === undefined ? logJobs(runDir, record) : [job], ended, sink);
      if (ended) return record;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake?.(), 1000);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    }
  } finally {
    for (const w of watchers) w.close();
  }
}
