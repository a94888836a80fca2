import { parseArgs } from 'node:util';

/** What a ceiling stage process does. The pump-* kinds move raw bytes only (pump-stages.ts). */
export const STAGE_KINDS = ['source', 'forward', 'join', 'reduce', 'sink', 'pump-source', 'pump-forward', 'pump-sink'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** What travels on the stage's pipes (and so which codec frames it). */
export const PAYLOAD_KINDS = ['int', 'bytes', 'float32', 'time'] as const;
export type PayloadKind = (typeof PAYLOAD_KINDS)[number];

export interface StageOptions {
  kind: StageKind;
  payload: PayloadKind;
  /** The addresses this stage dials, one per input, in input order: Unix socket paths or `host:port`. */
  inputs: string[];
  /** The address this stage listens on for the next stage (Unix socket path or `host:port`), if any. */
  output: string | undefined;
  /** Sources: blocks to send (0 = endless). */
  blocks: number;
  /** Sources of ints: first value and step. */
  start: number;
  step: number;
  /** Sources: blocks per second (0 = flat out). */
  rate: number;
  /** Reduce: values per group. */
  group: number;
  /** Sinks: leading blocks before the measured window. */
  warmup: number;
  /** Latency sinks: hops from the source. */
  hops: number;
  /** Report RSS this often (ms; 0 = never). */
  rssMs: number;
}

/** Parses `--kind source --payload int --in a.sock,b.sock --out c.sock ...`. */
export function parseStageOptions(argv: string[]): StageOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      kind: { type: 'string' },
      payload: { type: 'string', default: 'int' },
      in: { type: 'string', default: '' },
      out: { type: 'string' },
      blocks: { type: 'string', default: '0' },
      start: { type: 'string', default: '1' },
      step: { type: 'string', default: '1' },
      rate: { type: 'string', default: '0' },
      group: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '0' },
      hops: { type: 'string', default: '1' },
      'rss-ms': { type: 'string', default: '0' },
    },
    strict: true,
  });
  const kind = oneOf(values.kind, STAGE_KINDS, '--kind');
  const payload = oneOf(values.payload, PAYLOAD_KINDS, '--payload');
  return {
    kind,
    payload,
    inputs: values.in === '' ? [] : values.in!.split(','),
    output: values.out,
    blocks: Number(values.blocks),
    start: Number(values.start),
    step: Number(values.step),
    rate: Number(values.rate),
    group: Number(values.group),
    warmup: Number(values.warmup),
    hops: Number(values.hops),
    rssMs: Number(values['rss-ms']),
  };
}

/** The command-line arguments that parseStageOptions reads back. */
export function stageArgs(o: Partial<StageOptions> & { kind: StageKind }): string[] {
  const args = ['--kind', o.kind];
  if (o.payload) args.push('--payload', o.payload);
  if (o.inputs && o.inputs.length > 0) args.push('--in', o.inputs.join(','));
  if (o.output) args.push('--out', o.output);
  const numeric: [keyof StageOptions, string][] = [
    ['blocks', '--blocks'], ['start', '--start'], ['step', '--step'], ['rate', '--rate'],
    ['group', '--group'], ['warmup', '--warmup'], ['hops', '--hops'], ['rssMs', '--rss-ms'],
  ];
  for (const [key, flag] of numeric) if (o[key] !== undefined) args.push(flag, String(o[key]));
  return args;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${flag} must be one of ${allowed.join(', ')} (got ${String(value)})`);
}
