import { ScriptJob } from 'marvelo';
import { CsvFile } from './csv-file.js';

export interface CsvSinkParams {
  /** The CSV file, relative to the run's working directory. Overwritten. */
  path: string;
  /** Header names, one per input (default: the input pipe names). */
  columns?: string[];
}

/**
 * `builtin:csv-sink`: a header, then one row per round, one cell per input. Runs on the client, so the
 * file lands where `marvelo run` was started. MARVELO's CSVSinkJob.
 */
export default class CsvSink extends ScriptJob<CsvSinkParams> {
  static GROUPS = ['LOCAL'];
  private file: CsvFile | undefined;

  setup(): void {
    this.file = new CsvFile(this.params.path, this.params.columns ?? this.inputNames);
  }

  run(...values: unknown[]): void {
    this.file!.writeRow(values);
  }

  teardown(): void {
    this.file?.close();
  }
}
