import { ExecutableJob } from 'marvelo';

/**
 * The JSON-lines transformer jsonmap.py as a job class: a network file gives it `args` (--set, --scale)
 * and may switch `pass` or `head`. See jsonmap.py for its options.
 */
export default class JsonMap extends ExecutableJob {
  static EXECUTABLE = './jsonmap.py';
}
