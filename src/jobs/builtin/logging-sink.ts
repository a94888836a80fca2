import { ScriptJob } from 'marvelo';
import type { LogSample } from '../../control/messages.js';
import { CsvFile } from './csv-file.js';
import { LOG_COLUMNS, logRow } from './log-columns.js';

export interface LoggingSinkParams {
  /** The CSV file, relative to the run's working directory. Overwritten. */
  path: string;
  /** Sampling interval of the jobs marked `logging: true`, in ms (default 1000). Read by the client. */
  interval?: number;
}

/**
 * `builtin:logging-sink`: writes the resource samples of every job marked `logging: true` to CSV, one row
 * per job and interval (columns in log-columns.ts). It has no pipes: the client feeds it the samples, and
 * it ends when every other job is done. MARVELO's LoggingSinkJob.
 */
export default class LoggingSink extends ScriptJob<LoggingSinkParams> {
  static GROUPS = ['LOCAL'];
  private file: CsvFile | undefined;

  setup(): void {
    this.file = new CsvFile(this.params.path, LOG_COLUMNS);
  }

  async run(): Promise<undefined> {
    for await (const sample of this.clientFeed()) this.file!.writeRow(logRow(sample as LogSample));
    return undefined;
  }

  teardown(): void {
    this.file?.close();
  }
}
