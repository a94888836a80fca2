/** Does a pipe's codec fit the port type a job class declares (static INPUTS / OUTPUTS)? */
import type { PortType } from '../jobs/ports.js';
import type { CodecSpec } from './types.js';
import { CODEC_NAMES } from './schema.js';

/** The port as users read it in a message: int16, float32[256], bytes[1024], any. */
export function describePort(port: PortType): string {
  if (typeof port === 'string') return port;
  const size = port.length ?? port.block_size;
  return size === undefined ? port.codec : `${port.codec}[${size}]`;
}

export function portAccepts(port: PortType, codec: CodecSpec): boolean {
  const { codec: name, length, block_size: blockSize } = typeof port === 'string' ? { codec: port } : port;
  if (name === 'any') return true;
  switch (codec.kind) {
    case 'msgpack':
    case 'json':
      return name === codec.kind;
    case 'bytes':
      return name === 'bytes' && (blockSize === undefined || blockSize === codec.blockSize);
    case 'typed':
      return name === codec.type && (length === undefined || length === codec.length);
    case 'custom':
      // A custom codec carries values of its own making: only an 'any' port can promise to take them.
      return false;
  }
}

/** Why a static INPUTS/OUTPUTS entry is not a port type, or undefined. */
export function invalidPort(port: unknown): string | undefined {
  const names: readonly string[] = [...CODEC_NAMES, 'any'];
  if (typeof port === 'string') return names.includes(port) ? undefined : `unknown codec '${port}'`;
  if (typeof port !== 'object' || port === null) return `${JSON.stringify(port)} is not a port type`;
  const { codec, length, block_size: blockSize } = port as Record<string, unknown>;
  if (typeof codec !== 'string' || !names.includes(codec)) return `unknown codec ${JSON.stringify(codec)}`;
  for (const [key, v] of [['length', length], ['block_size', blockSize]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) return `${key} must be an integer >= 1`;
  }
  return undefined;
}
