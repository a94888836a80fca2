import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

/** The README's example sessions: a `$ npx marvelo ...` line, then what it prints. */
function readmeSessions(command: string): { args: string[]; output: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const sessions: { args: string[]; output: string }[] = [];
  for (const block of readme.matchAll(/```\n\$ npx marvelo (\S+) (.*)\n([\s\S]*?)```/g)) {
    if (block[1] !== command) continue;
    sessions.push({ args: [block[1], ...block[2]!.split(' ')], output: block[3]! });
  }
  return sessions;
}

describe('README', () => {
  it('shows what `marvelo validate` really prints', async () => {
    const sessions = readmeSessions('validate');
    expect(sessions).toHaveLength(1);
    for (const { args, output } of sessions) {
      const r = await runCli(args, { cwd: ROOT });
      expect(r.stderr).toBe(output);
      expect(r.code).toBe(output.includes('error:') ? 1 : 0);
    }
  });
});
