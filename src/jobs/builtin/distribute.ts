import { ScriptJob } from 'marvelo';

/** `builtin:distribute`: its one input goes to every output. MARVELO's DistributingJob. */
export default class Distribute extends ScriptJob {
  run(value: unknown): unknown {
    return value;
  }
}
