import type { CodecName } from '../config/types.js';

/**
 * A port type a job class may declare (static INPUTS / OUTPUTS): a codec name, optionally with the
 * size that codec needs. `validate` rejects a pipe whose codec does not match.
 */
export type PortType =
  | CodecName
  | 'any'
  | { codec: CodecName | 'any'; length?: number; block_size?: number };
