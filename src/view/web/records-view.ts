import { join } from 'node:path';
import { isRunId } from '../../api/records/id.js';
import { listRuns, readRun } from '../../api/records/reader.js';
import { graphSvg } from './graph-svg.js';
import { recordSnapshot } from './record-state.js';
import type { RunRecord } from '../../api/records/types.js';
import { HEADERS, sendJson, startViewServer, type ViewServer } from './server.js';

/**
 * The web view of recorded runs (`marvelo ui`): `runs.json` lists them, `runs/<id>/` is one run's
 * page and `runs/<id>/state.json` its data, read from the record on each request.
 */
export function startRecordsView(runsDir: string, opts: { host?: string; port?: number } = {}): Promise<ViewServer> {
  const runOf = (path: string, rest: string): string | undefined => {
    const m = /^runs\/([^/]+)\/(.*)$/.exec(path);
    return m && m[2] === rest && isRunId(m[1]!) ? m[1] : undefined;
  };
  return startViewServer(
    {
      page: (path) => {
        if (path === '') return { mode: 'runs' };
        const id = runOf(path, '');
        return id === undefined ? undefined : { mode: 'record', run: id };
      },
      handle: async (req, res, path) => {
        if (req.method !== 'GET') return false;
        const pictured = runOf(path, 'graph.svg');
        if (pictured !== undefined) {
          const svg = await recordSvg(readable(runsDir, pictured));
          if (svg === undefined) return false;
          res.writeHead(200, { ...HEADERS, 'Content-Type': 'image/svg+xml; charset=utf-8' });
          res.end(svg);
          return true;
        }
        if (path === 'runs.json') {
          sendJson(
            res,
            200,
            listRuns(runsDir).map((r) => ({ id: r.id, network: r.network.name, status: r.status, startedAt: r.startedAt ?? r.acceptedAt, finishedAt: r.finishedAt, reason: r.reason })),
          );
          return true;
        }
        const id = runOf(path, 'state.json');
        if (id === undefined) return false;
        const record = readable(runsDir, id);
        if (!record) return false;
        sendJson(res, 200, recordSnapshot(join(runsDir, id), record));
        return true;
      },
    },
    opts,
  );
}

function readable(runsDir: string, id: string): RunRecord | undefined {
  try {
    return readRun(runsDir, id);
  } catch {
    return undefined;
  }
}

/** A record's network as the graph draws it (its config, placement); undefined before it loaded. */
async function recordSvg(record: RunRecord | undefined): Promise<string | undefined> {
  const config = record?.config;
  if (!config) return undefined;
  const network = { name: config.name, jobs: config.jobs, pipes: Object.fromEntries(config.pipes.map((p) => [p.name, p])), nodes: config.nodes };
  return graphSvg(network, record.placement).catch((): undefined => undefined);
}
