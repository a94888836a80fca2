/** The Plan as JSON (`marvelo plan --json`): its maps become objects. */
import type { Plan } from './types.js';

export function planToJson(plan: Plan): object {
  return {
    jobs: plan.jobs,
    pipes: plan.pipes,
    nodes: plan.nodes,
    nodeOf: Object.fromEntries(plan.nodeOf),
    transportOf: Object.fromEntries(plan.transportOf),
  };
}
