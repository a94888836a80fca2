import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { toCell } from './csv-cells.js';

/**
 * A CSV file written one row at a time, each row handed to the OS at once (writeSync): if the job
 * crashes, only the row in flight is lost. The path is relative to the job's working directory.
 */
export class CsvFile {
  private fd: number | undefined;
  readonly path: string;

  constructor(path: string, header: readonly string[]) {
    this.path = resolve(path);
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'w');
    this.writeRow(header);
  }

  writeRow(values: readonly unknown[]): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, stringify([values.map(toCell)]));
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
