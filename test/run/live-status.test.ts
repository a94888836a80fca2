import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, processesTagged, startCli } from '../helpers/cli.js';

/** Runs the CLI on a pseudo-terminal: script(1) from util-linux, its command line quoted by bash. */
const PTY = ['bash', '-c', 'exec script -qfec "$(printf "%q " "$@")" /dev/null', 'pty'];
const REDRAW = /\r\x1b\[(\d+)A\x1b\[J/g;
const EXPECTED = Array.from({ length: 400 }, (_, i) => `sink | ${i + 1}`);

/** The lines a terminal would keep: the redraws taken out, each line whole. */
function linesOf(text: string): string[] {
  return text.replace(REDRAW, '').split(/\r?\n/);
}

describe('run - the live status on a terminal', () => {
  it('redraws a table in place while job lines print whole, in order, between its redraws', async () => {
    const run = startCli(['run', join(FIXTURES, 'paced.yaml')], { wrapper: PTY });
    const r = await run.done;
    expect(r.code).toBe(0);
    const out = r.stdout; // the terminal's output: stdout and stderr together
    const redraws = [...out.matchAll(REDRAW)];
    expect(redraws.length).toBeGreaterThan(1);
    expect(out).toMatch(/^\x1b\[1mmarvelo \d+\.\ds {2}\d+ (running|finished)/m);
    expect(out).toMatch(/^\x1b\[2m {2}job\s+node\s+state\s+rounds\/s\s+cpu%\s+rss\s+in-q\x1b\[0m\r?$/m);
    expect(out).toMatch(/^ {2}sink\s+local\s+\x1b\[32mrunning\s*\x1b\[0m/m);
    expect(out).toMatch(/^ {2}a\s+[\d.k-]+\s+[\d.-]+\s+[\d.k]+\s+0\s+0\s+\d+%\r?$/m);
    const lines = linesOf(out);
    // every job line whole and in order; none cut by a table line
    expect(lines.filter((l) => l.startsWith('sink |'))).toEqual(EXPECTED);
    expect(lines.filter((l) => l.includes('sink |') && !/^sink \| \d+$/.test(l))).toEqual([]);
    expect(out).toContain('[marvelo] paced: finished in');
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('NO_COLOR: the same table without colour codes', async () => {
    const run = startCli(['run', join(FIXTURES, 'paced.yaml')], { wrapper: PTY, env: { NO_COLOR: '1' } });
    const r = await run.done;
    expect(r.code).toBe(0);
    expect([...r.stdout.matchAll(REDRAW)].length).toBeGreaterThan(1);
    expect(r.stdout).toMatch(/^ {2}job\s+node\s+state\s+rounds\/s/m);
    expect(r.stdout).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(linesOf(r.stdout).filter((l) => l.startsWith('sink |'))).toEqual(EXPECTED);
  });

  it('off a terminal: nothing live; --progress: a summary line every so often', async () => {
    const plain = await startCli(['run', join(FIXTURES, 'paced.yaml')]).done;
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('\x1b');
    expect(plain.stderr).not.toMatch(/^\[marvelo\] \d+\.\ds /m);
    expect(plain.stdout.trimEnd().split('\n')).toEqual(EXPECTED);

    const r = await startCli(['run', join(FIXTURES, 'paced.yaml'), '--progress', '0.2']).done;
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toMatch(/^\[marvelo\] \d+\.\ds \d+ (running|finished)[^;]*; a \d+(\.\dk)? \([\d.k-]+\/s\), b /m);
    expect(r.stdout.trimEnd().split('\n')).toEqual(EXPECTED);
  });

  it('--progress with a value that is not a number of seconds: a coded error', async () => {
    const r = await startCli(['run', join(FIXTURES, 'paced.yaml'), '--progress', 'soon']).done;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('MRV_CLI_OPTION');
    expect(r.stderr).toContain('--progress soon is not a number of seconds');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
