import { ScriptJob } from 'marvelo';

export interface LoggingParams {
  /** Sampling interval of the jobs marked `logging: true`, in ms (default 1000). Read by the client. */
  interval?: number;
}

/**
 * `builtin:logging`: a source of the resource samples of every job marked `logging: true`, one block per
 * sample (an object with the fields of the logging CSV), for jobs of your own or a csv-sink. It ends when
 * every other job is done. The original's LoggingJob sent such rows on an extra output.
 */
export default class Logging extends ScriptJob<LoggingParams> {
  static GROUPS = ['LOCAL'];

  async *run() {
    yield* this.clientFeed();
  }
}
