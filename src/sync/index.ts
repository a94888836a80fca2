export { HeadBit } from './types.js';
export type { InputStats, Round, SyncInputSpec } from './types.js';
export { Head, HEAD_MAX_SIZE, headBit, headMaskAll, resizeHead } from './head.js';
export { RoundAssembler } from './round-assembler.js';
export { OptionalInput } from './optional-input.js';
export * from './head-rules.js';
