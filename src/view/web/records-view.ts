import { join } from 'node:path';
import { isRunId } from '../../api/records/id.js';
import { listRuns, readRun } from '../../api/records/reader.js';
import { recordSnapshot } from './record-state.js';
import { sendJson, startViewServer, type ViewServer } from './server.js';

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
      handle: (req, res, path) => {
        if (req.method !== 'GET') return false;
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
        let record;
        try {
          record = readRun(runsDir, id);
        } catch {
          return false;
        }
        sendJson(res, 200, recordSnapshot(join(runsDir, id), record));
        return true;
      },
    },
    opts,
  );
}
