import { ScriptJob, out } from 'marvelo';

/** `builtin:forward`: input i goes to output i, unchanged. MARVELO's ForwardingJob. */
export default class Forward extends ScriptJob {
  run(...values: unknown[]): unknown {
    return values.length === 1 ? values[0] : out(...values);
  }
}
