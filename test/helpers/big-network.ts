/**
 * Network files of a chosen size and a realistic shape: chains of three jobs whose source has a big
 * params map and long lists, the sink repeating the source's params through an alias, one pipe entry per
 * chain; and, when asked, one job with a params map of many keys.
 */
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface BigNetworkOptions {
  /** Keys of the one big params map (default none). */
  bigMapKeys?: number;
}

export function bigNetworkText(bytes: number, opts: BigNetworkOptions = {}): string {
  const jobs = join(ROOT, 'jobs');
  const parts: string[] = ['name: big\njobs:\n'];
  const pipes: string[] = ['pipes:\n'];
  let size = parts[0]!.length + pipes[0]!.length;
  const add = (to: string[], text: string) => {
    to.push(text);
    size += text.length;
  };
  if (opts.bigMapKeys !== undefined) {
    add(parts, `  - name: table\n    uses: ${jobs}/count.ts\n    outputs: [table_out]\n    params:\n      limit: 1\n`);
    for (let k = 0; k < opts.bigMapKeys; k++) add(parts, `      entry_${k}: ${k}\n`);
    add(parts, `  - { name: table_sink, uses: ${jobs}/print.ts, inputs: [table_out] }\n`);
    add(pipes, '  table_out: { codec: json }\n');
  }
  for (let c = 0; size < bytes; c++) {
    const lines = [`  - name: src${c}\n    uses: ${jobs}/count.ts\n    params: &p${c}\n`];
    for (let k = 0; k < 40; k++) lines.push(`      key_${k}: value number ${k} of chain ${c}\n`);
    lines.push(`      table: [${Array.from({ length: 200 }, (_, i) => (i * 7919 + c) % 1000).join(', ')}]\n`);
    lines.push('      names:\n');
    for (let i = 0; i < 30; i++) lines.push(`        - item-${i}-${c}\n`);
    lines.push(`    outputs: [c${c}a]\n`);
    lines.push(`  - { name: fwd${c}, uses: ${jobs}/forward.ts, inputs: [c${c}a], outputs: [c${c}b], params: { gain: ${c}, label: "chain ${c}" } }\n`);
    lines.push(`  - { name: sink${c}, uses: ${jobs}/print.ts, inputs: [c${c}b], params: *p${c} }\n`);
    add(parts, lines.join(''));
    add(pipes, `  c${c}a: { codec: msgpack, block_count: 1 }\n`);
  }
  return parts.join('') + pipes.join('');
}
