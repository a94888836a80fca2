/** The network as a picture: one model, drawn as SVG (laid out by ELK), Graphviz DOT or Mermaid. */
export { graphModel, type GraphCounts, type GraphJob, type GraphModel, type GraphNetwork, type GraphPipe, type GraphPlacement } from './model.js';
export { toDot } from './dot.js';
export { toMermaid } from './mermaid.js';
export { toSvg } from './svg.js';
export { codecText, jobKindText, pipeCountsLine, pipeLabelLines, pipePolicyLine, pipeTitleLine } from './labels.js';
