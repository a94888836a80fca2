/** The network-file layer: YAML -> validated, resolved Network; and the JSON Schema of the file. */
export { loadNetwork, validateNetwork, defaultBundleDir } from './load.js';
export type { LoadOptions, LoadedNetwork, ValidationResult } from './load.js';
export { loadNodes } from './nodes.js';
export { networkJsonSchema, NETWORK_SCHEMA, CLUSTER_SCHEMA } from './schema.js';
export { DEFAULTS } from './types.js';
export type * from './types.js';
