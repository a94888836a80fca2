import { runsDirForReading } from '../api/records/paths.js';
import { displayPath, MarveloError } from '../errors.js';
import { startRecordsView } from '../view/web/records-view.js';
import { reportFatal } from './report.js';

/** `marvelo ui`: serves the recorded runs' pages until Ctrl-C. */
export async function uiCommand(opts: { runsDir?: string; port?: number }): Promise<number> {
  try {
    const dir = runsDirForReading(opts.runsDir);
    if (dir === undefined) {
      throw new MarveloError('MRV_RUN_RECORD', 'no runs folder here: no run was recorded in this folder or above it', { hint: 'run a network first, or point --runs-dir (or MARVELO_RUNS_DIR) at the folder that holds the records' });
    }
    const view = await startRecordsView(dir, { port: opts.port });
    process.stderr.write(`[marvelo] view: ${view.url}\n[marvelo] serving the runs of ${displayPath(dir)}; Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await view.close();
    return 0;
  } catch (err) {
    return reportFatal(err);
  }
}
