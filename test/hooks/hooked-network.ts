import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import { networkCopy } from '../records/network-copy.js';

/** What a hook wrote: its MARVELO_* environment, working folder and arguments, and run.json as it saw it. */
export interface HookSeen {
  env: Record<string, string>;
  cwd: string;
  args: string;
  record: { status: string } | undefined;
}

/**
 * A copy of a run fixture in a fresh folder with `hooks` (YAML text) appended, and `./record.sh` beside
 * it: a hook that appends its name to order.log and writes what it saw to seen.<hook>.
 */
export function hookedNetwork(fixture: string, hooks: string): { dir: string; file: string; runs: string; order: () => string[]; seen: (hook: string) => HookSeen | undefined } {
  const net = networkCopy(fixture);
  const text = readFileSync(net.file, 'utf8').replaceAll('uses: timeout-jobs.ts', `uses: ${join(FIXTURES, 'timeout-jobs.ts')}`);
  writeFileSync(net.file, `${text.endsWith('\n') ? text : text + '\n'}hooks:\n${hooks}\n`);
  const script = join(net.dir, 'record.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      'echo "$MARVELO_HOOK" >> order.log',
      'out="seen.$MARVELO_HOOK"',
      'env | grep "^MARVELO_" > "$out.env"',
      'pwd > "$out.cwd"',
      'echo "$*" > "$out.args"',
      '[ -n "$MARVELO_RUN_RECORD" ] && cp "$MARVELO_RUN_RECORD/run.json" "$out.json"',
      'echo "hook $MARVELO_HOOK saw $MARVELO_RUN_STATUS"',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  const read = (name: string) => readFileSync(join(net.dir, name), 'utf8').trim();
  return {
    ...net,
    order: () => (existsSync(join(net.dir, 'order.log')) ? read('order.log').split('\n') : []),
    seen: (hook) => {
      const out = `seen.${hook}`;
      if (!existsSync(join(net.dir, `${out}.env`))) return undefined;
      const env = Object.fromEntries(read(`${out}.env`).split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const json = join(net.dir, `${out}.json`);
      return { env, cwd: read(`${out}.cwd`), args: read(`${out}.args`), record: existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as { status: string }) : undefined };
    },
  };
}

/** Every hook set to ./record.sh (with its name as argument). */
export const ALL_RECORDING = '  on_success: [./record.sh, success]\n  on_failure: [./record.sh, failure]\n  on_finish: [./record.sh, finish, 2]';
