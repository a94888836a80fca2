import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { networkCopy, NEXT_TO_NETWORK } from './network-copy.js';

async function runTwice(): Promise<{ dir: string; ids: string[] }> {
  const net = networkCopy('chain3.yaml');
  for (let i = 0; i < 2; i++) expect((await runCli(['run', net.file, '-q'], { cwd: net.dir, env: NEXT_TO_NETWORK })).code).toBe(0);
  return { dir: net.dir, ids: readdirSync(net.runs).sort() };
}

describe('run ids on the command line', () => {
  it('a unique prefix and `last` name one run; an ambiguous or unknown one is MRV_RUN_RECORD naming the candidates', async () => {
    const { dir, ids } = await runTwice();
    const [first, second] = ids as [string, string];
    const cli = (...args: string[]) => runCli(args, { cwd: dir, env: NEXT_TO_NETWORK });

    const list = await cli('runs', '--json');
    expect(JSON.parse(list.stdout).map((r: { id: string }) => r.id)).toEqual([second, first]); // newest first

    const byPrefix = await cli('runs', 'show', first.slice(0, 20), '--json');
    expect(byPrefix.code, byPrefix.stderr).toBe(0);
    expect(JSON.parse(byPrefix.stdout).id).toBe(first);
    const last = await cli('runs', 'show', 'last', '--json');
    expect(JSON.parse(last.stdout).id).toBe(second);

    const ambiguous = await cli('logs', first.slice(0, 4));
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toBe(`error: MRV_RUN_RECORD '${first.slice(0, 4)}' is the start of 2 run ids: ${second}, ${first}\n  hint: give more characters of the id\n`);

    const unknown = await cli('runs', 'show', '1999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`error: MRV_RUN_RECORD no run '1999' in ${join(dir, '.marvelo', 'runs')}; the latest are ${second}, ${first}`);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('without a runs folder here or above, `marvelo runs` says where it looked', async () => {
    const r = await runCli(['runs'], { cwd: tempDir(), env: NEXT_TO_NETWORK });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: MRV_RUN_RECORD no runs folder: there is no \.marvelo\/runs in this folder or any folder above it\n {2}hint: /);
  });

  it('MARVELO_RUNS_KEEP=3 keeps the 3 newest runs', async () => {
    const net = networkCopy('chain3.yaml');
    const env = { ...NEXT_TO_NETWORK, MARVELO_RUNS_KEEP: '3' };
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await runCli(['run', net.file, '-q'], { cwd: net.dir, env })).code).toBe(0);
      seen.push(...readdirSync(net.runs).filter((id) => !seen.includes(id)));
    }
    expect(seen).toHaveLength(4);
    expect(readdirSync(net.runs).sort()).toEqual(seen.slice(1));
  });

  it('--runs-dir puts the record there, and `runs --runs-dir` reads it', async () => {
    const net = networkCopy('chain3.yaml');
    const elsewhere = join(tempDir(), 'records');
    expect((await runCli(['run', net.file, '-q', '--runs-dir', elsewhere], { cwd: net.dir, env: NEXT_TO_NETWORK })).code).toBe(0);
    expect(existsSync(net.runs)).toBe(false);
    const r = await runCli(['runs', '--json', '--runs-dir', elsewhere], { env: NEXT_TO_NETWORK });
    expect(JSON.parse(r.stdout)).toMatchObject([{ network: 'chain3', status: 'succeeded' }]);
  });
});

describe('marvelo logs --follow', () => {
  it('prints the lines of a running network as they come, and ends when the run ends', async () => {
    const net = networkCopy('gated.yaml');
    const gate = join(net.dir, 'go');
    const run = startCli(['run', net.file], { cwd: net.dir, env: { ...NEXT_TO_NETWORK, GATE: gate } });
    await run.waitFor(/^sink\s*\| 1$/m, 'stdout');
    const follow = startCli(['logs', 'last', '--follow'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await follow.waitFor(/^sink \| 1$/m, 'stdout');
    writeFileSync(gate, '');
    expect((await run.done).code).toBe(0);
    const f = await follow.done;
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toBe(Array.from({ length: 10 }, (_, i) => `sink | ${i + 1}\n`).join(''));
    expect(f.stderr).toMatch(/^\[marvelo\] run \S+ succeeded\n$/);
  });
});
