/** What an import could not carry over as it was, each with its reason. */

export interface ImportNote {
  /** `dropped`: not in the imported network; `changed`: carried over, but it works differently (or is replaced). */
  kind: 'dropped' | 'changed';
  /** What it is about: `config PULSE_INTERVAL`, `job 'mixer_job' (Mixer)`, `pipe p4 (IntPipe)`, `node 10.0.0.21`. */
  subject: string;
  text: string;
}

export class Notes {
  readonly list: ImportNote[] = [];

  dropped(subject: string, text: string): void {
    this.list.push({ kind: 'dropped', subject, text });
  }

  changed(subject: string, text: string): void {
    this.list.push({ kind: 'changed', subject, text });
  }
}
