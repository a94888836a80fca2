/** A pipe's codec from the network file (already schema-checked) to its CodecSpec. */
import { resolve } from 'node:path';
import type { CodecSpec, DummyMode, TypedCodecType } from './types.js';
import type { RawPipe } from './raw.js';

const TYPED: readonly string[] = ['float32', 'float64', 'int16', 'int32'] satisfies TypedCodecType[];

export function resolveCodec(pipe: RawPipe | undefined, dir: string): CodecSpec {
  const codec = pipe?.codec ?? 'msgpack';
  if (codec === 'msgpack' || codec === 'json') return { kind: codec };
  if (codec === 'bytes') return { kind: 'bytes', blockSize: pipe?.block_size ?? 0 };
  if (TYPED.includes(codec)) return { kind: 'typed', type: codec as TypedCodecType, length: pipe?.length ?? 0 };
  const { file, exportName } = splitModuleRef(codec);
  return { kind: 'custom', module: resolve(dir, file), exportName };
}

/** Gaps repeat the last value where a zero block means nothing (structured values). */
export function defaultDummy(codec: CodecSpec): DummyMode {
  return codec.kind === 'msgpack' || codec.kind === 'json' ? 'prev' : 'zero';
}

/** `path/to/file.ts#Name` -> file and export ('default' without a #). */
export function splitModuleRef(ref: string): { file: string; exportName: string } {
  const hash = ref.lastIndexOf('#');
  if (hash < 0) return { file: ref, exportName: 'default' };
  return { file: ref.slice(0, hash), exportName: ref.slice(hash + 1) };
}

/** How a codec reads in messages: msgpack, bytes[1024], float32[256], ./codec.ts#Name. */
export function describeCodec(codec: CodecSpec): string {
  switch (codec.kind) {
    case 'bytes':
      return `bytes[${codec.blockSize}]`;
    case 'typed':
      return `${codec.type}[${codec.length}]`;
    case 'custom':
      return `custom codec ${codec.module}#${codec.exportName}`;
    default:
      return codec.kind;
  }
}
