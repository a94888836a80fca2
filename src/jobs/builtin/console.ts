import { ScriptJob } from 'marvelo';

/**
 * `builtin:console`: every line typed into the terminal of `marvelo run`, or sent with `marvelo console`,
 * becomes one block: the JSON value when the line parses as JSON, else the line as a string. Blank lines
 * are skipped. It ends on Ctrl-D in the terminal of `marvelo run` (the end of its stdin) or when every
 * other job is done. MARVELO's InteractiveJob (which ended on an empty line).
 */
export default class Console extends ScriptJob {
  static GROUPS = ['LOCAL'];

  async *run() {
    for await (const item of this.clientFeed()) {
      const line = String(item).replace(/\r$/, '');
      if (line.trim() === '') continue;
      yield parseLine(line);
    }
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}
