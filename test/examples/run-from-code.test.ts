import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Runs examples/run-from-code.ts on a network file, as its header says, in a fresh folder. */
function runExample(network: string): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  const cwd = tempDir();
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-example.mjs'), join(ROOT, 'examples', 'run-from-code.ts'), join(ROOT, 'networks', network)], { cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, cwd })));
}

describe('examples/run-from-code.ts', () => {
  it('loads and runs the demo network through the public API', async () => {
    const r = await runExample('demo.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('demo: count1, count2, count3, join, reduce, save');
    expect(lines.filter((l) => l.startsWith('job ')).sort()).toEqual([
      'job count1 finished after 50 rounds',
      'job count2 finished after 50 rounds',
      'job count3 finished after 50 rounds',
      'job join finished after 50 rounds',
      'job reduce finished after 10 rounds',
      'job save finished after 10 rounds',
    ]);
    expect(lines.slice(-3)).toEqual(['pipe p105: 50 blocks', 'pipe p106: 10 blocks', 'finished (exit code 0)']);
    expect(existsSync(join(r.cwd, 'sums.csv'))).toBe(true);
  });

  it('prints every error of a bad network file with its line, and exits 1', async () => {
    const r = await runExample('bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:7:5: MRV_CONFIG_SCHEMA unknown key 'output' in job 'source'\n {2}hint: did you mean 'outputs'\?/);
    expect(r.stderr).toMatch(/bad\.yaml:10:20: MRV_CONFIG_SCHEMA pipe 'values': unknown codec 'msgpak'/);
  });
});
