import { startRun, type RunEvent } from '../api/run.js';
import { formatError, isMarveloError, MarveloError } from '../errors.js';
import { showDuration } from '../config/duration.js';
import type { TransportKind } from '../config/types.js';
import { reportFatal } from './report.js';
import { colorWanted, Progress } from './progress.js';
import { formatBytes, formatSummary, formatFailure } from './format.js';
import { startTerminalConsole, type ConsoleInput } from './terminal-console.js';
import { fedJobs } from '../api/fed-jobs.js';
import { LOCAL_NODE } from '../plan/place.js';
import { displayPath } from '../errors.js';
import { openRunView } from './ui-view.js';
import { overridesOf, type OverrideFlags } from './override-options.js';

interface RunFlags extends OverrideFlags {
  json?: boolean;
  transport?: TransportKind;
  runDir?: string;
  runsDir?: string;
  quiet?: boolean;
  verbose?: boolean;
  nodes?: string;
  acceptNewHosts?: boolean;
  ui?: boolean;
  uiPort?: number;
  /** Off a terminal: a summary line every few seconds (true: every 5 s; a string: the seconds given). */
  progress?: boolean | string;
}

export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const out = flags.json ? process.stderr : process.stdout;
  // a terminal gets the live table; elsewhere --progress asks for a summary line every few seconds
  const live = process.stderr.isTTY === true && !flags.json;
  const everyMs = progressEveryMs(flags.progress);
  const overrides = overridesOf(flags);
  let progress = live || everyMs !== undefined ? new Progress(process.stderr, { live, color: live && colorWanted(), everyMs }) : undefined;
  let consoleInput: ConsoleInput | undefined;
  let width = 0;
  let labels = new Map<string, string>();
  /** Set while `out` holds more than it wants: the workers' output waits for it. */
  let outFull: Promise<void> | undefined;
  const print = (text: string): Promise<void> | undefined => {
    progress?.clear();
    const more = out.write(text + '\n');
    progress?.draw();
    if (more) return undefined;
    return (outFull ??= drained(out).then(() => {
      outFull = undefined;
    }));
  };
  /** Notes from marvelo itself: stderr, whatever --json says. */
  const say = (text: string) => {
    progress?.clear();
    process.stderr.write(text + '\n');
    progress?.draw();
  };
  const onEvent = (e: RunEvent): Promise<void> | undefined => {
    view?.onEvent(e);
    if (e.type !== 'log') progress?.event(e);
    switch (e.type) {
      case 'loaded':
        width = Math.max(...e.network.jobs.map((j) => j.name.length));
        if (e.network.jobs.some((j) => j.logging) && fedJobs(e.network).sampleReaders.length === 0) {
          say('[marvelo] note: jobs marked logging: true take samples, but no builtin:logging-sink or builtin:logging job receives them');
        }
        break;
      case 'console':
        consoleInput = startTerminalConsole(e, handle, say);
        // A status line redrawn under the user's typing would garble it.
        if (consoleInput?.isTTY) {
          progress?.stop();
          progress = undefined;
        }
        break;
      case 'planned':
        // a job on another node is shown as job@node
        labels = new Map(e.plan.jobs.map((j) => [j.job, j.node === LOCAL_NODE ? j.job : `${j.job}@${j.node}`]));
        width = Math.max(...[...labels.values()].map((l) => l.length));
        if (flags.verbose) say(`[marvelo] run ${e.runId}: ${e.plan.nodes.length === 0 ? 'every job on this machine' : `jobs on ${[...new Set(e.plan.jobs.map((j) => j.node))].join(', ')}`}`);
        break;
      case 'shipped':
        if (flags.verbose || (everyMs !== undefined && !live)) {
          const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
          say(e.files === 0 ? `[marvelo] ${e.node}: uploaded nothing (${files(e.cached)} cached)` : `[marvelo] ${e.node}: uploaded ${files(e.files)} (${formatBytes(e.bytes)}), ${e.cached} cached`);
        }
        break;
      case 'log':
        if (!flags.quiet) return print(`${(labels.get(e.job) ?? e.job).padEnd(width)} | ${e.line}`);
        break;
      case 'started':
        if (flags.verbose) {
          for (const w of e.workers) {
            const at = w.listen.length > 0 ? w.listen.map((a) => (a.kind === 'tcp' ? `tcp ${a.host}:${a.port}` : `unix ${a.path}`)).join(', ') : '-';
            print(`[marvelo] ${w.job} on ${w.node} pid ${w.pid} listening ${at}`);
          }
        }
        break;
      case 'job-failed':
        break;
      case 'notice':
        say(`[marvelo] ${e.text}`);
        break;
      case 'hook-log':
        if (!flags.quiet) return print(`hook ${e.hook} | ${e.line}`);
        break;
      case 'job-restarting':
        say(`[marvelo] job '${e.job}' failed on ${e.node}: ${firstLine(e.reason)}; restarting it in ${showDuration(e.delayMs)} (restart ${e.attempt})${e.stateLost ? ', its state is lost (the class is not STATELESS)' : ''}`);
        break;
      case 'retrying':
        say(`[marvelo] ${firstLine(e.reason)}; running the network again in ${showDuration(e.delayMs)} (retry ${e.attempt} of ${e.of})`);
        break;
      case 'job-restarted':
        say(`[marvelo] job '${e.job}' runs again on ${e.node} (${e.why})`);
        break;
      case 'timed-out':
        say(formatError(new MarveloError('MRV_RUN_TIMEOUT', `the run exceeded its timeout of ${showDuration(e.timeoutMs)}: stopping every job`, { hint: 'raise the network\'s timeout:, or leave it out for none' })));
        break;
    }
  };
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      progress?.clear();
      process.stderr.write('[marvelo] interrupted: stopping every worker (Ctrl-C again to force)\n');
      handle.interrupt();
    } else {
      handle.kill();
      process.exit(130);
    }
  };
  // SIGTERM stops a run as Ctrl-C does: the workers stop and the run's temporary folder goes.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const view = flags.ui ? await openRunView(flags.uiPort) : undefined;
  const handle = startRun(file, { transport: flags.transport, runDir: flags.runDir, acceptNewHosts: flags.acceptNewHosts, nodesFile: flags.nodes, overrides, onEvent, record: { dir: flags.runsDir, trigger: 'cli' } });
  view?.attach(handle);
  const recorded = () => {
    if (handle.recordDir !== undefined) process.stderr.write(`[marvelo] run ${handle.runId} recorded in ${displayPath(handle.recordDir)} (marvelo runs show ${handle.runId})\n`);
  };
  try {
    const result = await handle.done;
    progress?.stop();
    if (result.summary.failure) process.stderr.write(formatFailure(result.summary.failure) + '\n');
    if (flags.json) process.stdout.write(JSON.stringify(result.summary, null, 2) + '\n');
    else process.stderr.write(formatSummary(result.summary) + '\n');
    recorded();
    return result.exitCode;
  } catch (err) {
    progress?.stop();
    const code = reportFatal(err);
    recorded();
    return isMarveloError(err) && err.code === 'MRV_RUN_INTERRUPTED' ? 130 : code;
  } finally {
    consoleInput?.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** `--progress [seconds]`: the interval of its summary lines in ms (undefined: not asked for). */
function progressEveryMs(flag: boolean | string | undefined): number | undefined {
  if (flag === undefined || flag === false) return undefined;
  if (flag === true) return 5000;
  const s = Number(flag);
  if (!Number.isFinite(s) || s <= 0) {
    throw new MarveloError('MRV_CLI_OPTION', `--progress ${flag} is not a number of seconds greater than 0`, { hint: 'e.g. --progress (a line every 5 s) or --progress 2' });
  }
  return s * 1000;
}

/** Resolves once `out` has written what it held, or can write nothing more (closed, failed). */
function drained(out: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (out.destroyed || out.writableEnded) return resolve();
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
}

function firstLine(text: string): string {
  const at = text.indexOf('\n');
  return at < 0 ? text : text.slice(0, at);
}
