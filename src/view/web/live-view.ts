import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_LINE_LIMIT } from '../../api/console-lines.js';
import type { RunEvent, RunHandle } from '../../api/run.js';
import type { Network } from '../../config/types.js';
import type { Plan } from '../../plan/types.js';
import { EventStream } from './event-stream.js';
import { graphSvg } from './graph-svg.js';
import { PageState } from './page-state.js';
import { HEADERS, readBody, sendJson, startViewServer } from './server.js';

/** How often the pages get what changed (a sample of the counters, events, log lines): twice a second. */
const FLUSH_MS = 500;

export interface LiveView {
  /** The page's address with its token. */
  readonly url: string;
  /** Every event of the run (RunOptions.onEvent). */
  onEvent(e: RunEvent): void;
  /** The run: the page's console box feeds its console jobs; at its end the pages are told and the view closes. */
  attach(handle: Pick<RunHandle, 'feed' | 'done'>): void;
  close(): Promise<void>;
}

/**
 * The web view of a running network (`marvelo run --ui`): a page with the graph, live rates, job
 * states, a throughput chart, the events, log tails and a console box, pushed by Server-Sent Events.
 */
export async function startView(opts: { host?: string; port?: number } = {}): Promise<LiveView> {
  const state = new PageState();
  const stream = new EventStream();
  let handle: Pick<RunHandle, 'feed' | 'done'> | undefined;
  let network: Network | undefined;
  let plan: Plan | undefined;
  let svg: Promise<string | undefined> | undefined;
  const flush = () => {
    state.sample();
    const u = state.take();
    if (u) stream.send('update', u);
  };
  const timer = setInterval(flush, FLUSH_MS).unref();
  const server = await startViewServer(
    {
      page: (path) => (path === '' ? { mode: 'live' } : undefined),
      handle: async (req, res, path) => {
        if (path === 'events' && req.method === 'GET') {
          stream.open(res, state.snapshot());
          return true;
        }
        if (path === 'state.json' && req.method === 'GET') {
          sendJson(res, 200, state.snapshot());
          return true;
        }
        if (path === 'graph.svg' && req.method === 'GET') {
          const text = network ? await (svg ??= graphSvg(network, plan).catch((): undefined => undefined)) : undefined;
          if (text === undefined) return false;
          res.writeHead(200, { ...HEADERS, 'Content-Type': 'image/svg+xml; charset=utf-8' });
          res.end(text);
          return true;
        }
        if (path === 'console' && req.method === 'POST') {
          await consoleLine(req, res);
          return true;
        }
        return false;
      },
    },
    opts,
  );
  const consoleLine = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, CONSOLE_LINE_LIMIT + 64 * 1024);
    if (body === undefined) return sendJson(res, 413, { error: `a console line is at most ${CONSOLE_LINE_LIMIT} bytes` });
    let line: unknown;
    try {
      line = (JSON.parse(body) as { line?: unknown }).line;
    } catch {
      line = undefined;
    }
    if (typeof line !== 'string') return sendJson(res, 400, { error: 'send JSON: {"line": "<text>"}' });
    const jobs = state.consoleJobs();
    if (!handle || jobs.length === 0) return sendJson(res, 409, { error: 'this run has no console jobs' });
    for (const l of line.split(/\r?\n/)) for (const job of jobs) handle.feed(job, l);
    state.note(`console line from the page: ${line.length > 200 ? line.slice(0, 200) + ' …' : line}`);
    sendJson(res, 200, { sent: jobs });
  };
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      clearInterval(timer);
      flush();
      stream.end({ status: state.snapshot().status });
      await server.close();
    })());
  return {
    url: server.url,
    onEvent: (e) => {
      if (e.type === 'loaded') network = e.network;
      if (e.type === 'planned') plan = e.plan;
      state.onEvent(e);
    },
    attach: (h) => {
      handle = h;
      h.done.then(
        (r) => state.setStatus(r.summary.status),
        () => state.setStatus('failed'),
      ).finally(() => void close());
    },
    close,
  };
}
