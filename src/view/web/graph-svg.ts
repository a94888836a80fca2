import type { Network } from '../../config/types.js';
import type { Plan } from '../../plan/types.js';

/** The network's picture for the page; undefined: the page lists the jobs and pipes instead. */
export async function graphSvg(_network: Network, _plan: Plan | undefined): Promise<string | undefined> {
  return undefined;
}
