import { graphModel, toSvg, type GraphNetwork, type GraphPlacement } from '../graph/index.js';

/**
 * The network's picture for the page (the same SVG as `marvelo graph`): every job a `g.job[data-job]`,
 * every pipe a `g.pipe[data-pipe]` the page colours and labels with live rates.
 */
export function graphSvg(network: GraphNetwork, placement: GraphPlacement | undefined): Promise<string> {
  return toSvg(graphModel(network, placement));
}
