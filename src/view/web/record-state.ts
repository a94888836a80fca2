import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { logFile } from '../../api/records/paths.js';
import { readSeries } from '../../api/records/series.js';
import { readEvents, type RecordedEvent } from '../../api/records/store.js';
import type { RunRecord } from '../../api/records/types.js';
import { LOG_LINE_CHARS, LOG_TAIL, SAMPLES_KEPT, type ViewEvent, type ViewJob, type ViewSnapshot, viewPipe } from './model.js';

/** A recorded run as the page draws it: run.json, events.jsonl, the tails of logs/, and series.jsonl when there is one. */
export function recordSnapshot(runDir: string, record: RunRecord): ViewSnapshot {
  const placed = new Map((record.placement?.jobs ?? []).map((j) => [j.job, j.node]));
  const states = new Map(record.jobs.map((j) => [j.job, j]));
  const jobs: ViewJob[] = (record.config?.jobs ?? []).map((j) => ({
    name: j.name,
    node: states.get(j.name)?.node ?? placed.get(j.name),
    state: jobState(states.get(j.name)?.state),
    inputs: j.inputs,
    outputs: j.outputs,
  }));
  const start = Date.parse(record.startedAt ?? record.acceptedAt);
  const logs: Record<string, string[]> = {};
  for (const j of jobs) {
    const tail = logTail(logFile(runDir, j.name));
    if (tail.length > 0) logs[j.name] = tail;
  }
  return {
    mode: 'record',
    runId: record.id,
    network: record.network.name,
    status: record.status,
    jobs,
    pipes: (record.config?.pipes ?? []).map(viewPipe),
    consoles: [],
    samples: readSeries(runDir).slice(-SAMPLES_KEPT),
    events: readEvents(runDir).map((e) => viewEvent(e, start)),
    logs,
  };
}

function jobState(s: string | undefined): ViewJob['state'] {
  switch (s) {
    case 'succeeded':
      return 'finished';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'stopped';
    case 'running':
      return 'running';
    default:
      return 'queued';
  }
}

/** One recorded event as a line of the page's event list. */
export function viewEvent(e: RecordedEvent, start: number): ViewEvent {
  const { time, type, ...fields } = e;
  const job = typeof fields.job === 'string' ? fields.job : undefined;
  const exitedBadly = type === 'job-exited' && fields.code !== 0;
  const level = /fail|lost|timed-out|restarting/.test(type) ? 'error' : exitedBadly || /interrupted|retrying|notice/.test(type) ? 'warn' : 'info';
  const words = Object.entries(fields)
    .filter(([k, v]) => k !== 'job' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k}: ${String(v)}`);
  const t = Date.parse(time) - start;
  return { t: Number.isFinite(t) ? t : 0, level, text: `${type}${job ? ` ${job}` : ''}${words.length ? ` (${words.join(', ')})` : ''}`, ...(job ? { job } : {}) };
}

/** The last lines of a log file, read from its end (a big log costs no more). */
function logTail(file: string): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const want = Math.min(size, LOG_TAIL * 512);
    const buf = Buffer.alloc(want);
    readSync(fd, buf, 0, want, size - want);
    const lines = buf.toString('utf8').split('\n');
    if (want < size) lines.shift(); // cut in the middle
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-LOG_TAIL).map((l) => (l.length > LOG_LINE_CHARS ? l.slice(0, LOG_LINE_CHARS) + ' …' : l));
  } finally {
    closeSync(fd);
  }
}
