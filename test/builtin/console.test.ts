import { existsSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LINE_LIMIT } from '../../src/api/console-lines.js';
import { testJob } from 'marvelo/testing';
import { jobLines, processesTagged, ROOT, startCli } from '../helpers/cli.js';
import { builtinFixture, tempDir } from './helpers.js';

/** Runs the CLI on a pseudo-terminal: what the test writes is typed, what the CLI prints comes back. */
const PTY = ['python3', '-c', 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))'];

/** A printed value of at least 7 digits: the counter scaled by the factor 1000000 typed in. */
const SCALED = /^show\s*\| \d{7,}\r?$/m;

/** A line just over the console limit, without its newline. */
const OVERLONG = 'x'.repeat(CONSOLE_LINE_LIMIT + 1);

function consoleEnv(): { dir: string; env: Record<string, string> } {
  const dir = tempDir();
  return { dir, env: { MARVELO_RUNTIME_DIR: join(dir, 'runtime') } };
}

describe('builtin - console through `marvelo console`', () => {
  it('changes the output of a running network; detaching does not end the console; the run removes its socket', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('console.yaml')], { cwd: dir, env });
    const [, runId] = await run.waitFor(/console of run ([0-9a-f-]{26})/, 'stderr');
    await run.waitFor(/^show\s*\| 3$/m, 'stdout');

    const first = startCli(['console', runId!], { cwd: dir, env });
    await first.waitFor(new RegExp(`attached to run ${runId} \\(network console\\)`), 'stderr');
    first.proc.stdin!.write('1000000\n');
    await run.waitFor(SCALED, 'stdout');
    first.proc.stdin!.end();
    expect((await first.done).code).toBe(0);

    // The console lives on: attach again (the latest run, no id) and set another factor.
    const second = startCli(['console'], { cwd: dir, env });
    await second.waitFor(/attached to run/, 'stderr');
    second.proc.stdin!.write('0\n');
    await run.waitFor(/^show\s*\| 0$/m, 'stdout');

    // The end of the run ends the attached client too.
    run.proc.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    const s = await second.done;
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(new RegExp(`run ${runId} ended`));
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!)).toEqual([]);
    for (const p of [run, first, second]) expect(processesTagged(p.tag)).toEqual([]);
  });

  it('says clearly when no run is there to attach to', async () => {
    const { dir, env } = consoleEnv();
    const r = await startCli(['console'], { cwd: dir, env }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MRV_CONSOLE_SOCKET no running network with console jobs was found/);
    const bad = await startCli(['console', '../etc'], { cwd: dir, env }).done;
    expect(bad.stderr).toMatch(/'\.\.\/etc' is not a run id/);
  });
});

describe('builtin - console through the terminal of `marvelo run`', () => {
  it('feeds piped lines as JSON or text, skips blank lines, and ends with the input', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('echo.yaml')], { cwd: dir, env });
    run.proc.stdin!.end('42\n\n  \nhello world\n{"a":[1,2]}\n"7"\n');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(['42', 'hello world', '{"a":[1,2]}', '7']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('ends when the rest of the network is done, though its input is still open', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('console-ends.yaml')], { cwd: dir, env });
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(['1', '2', '3']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('on a terminal: a typed line changes the running network, Ctrl-D ends the console, Ctrl-C the run', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('console.yaml')], { cwd: dir, env, wrapper: PTY });
    await run.waitFor(/type a line to send it to console, Ctrl-D ends it; from another terminal: marvelo console [0-9a-f-]{26}/);
    await run.waitFor(/^show\s*\| 3\r?$/m);
    run.proc.stdin!.write('1000000\n');
    await run.waitFor(SCALED);
    run.proc.stdin!.write('\x04');
    await run.waitFor(/console input ended \(Ctrl-D\)/);
    run.proc.stdin!.write('\x03');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('networks/interactive.yaml: a factor typed while it runs scales what it prints', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', join(ROOT, 'networks', 'interactive.yaml')], { cwd: dir, env });
    await run.waitFor(/^show\s*\| 1$/m, 'stdout');
    run.proc.stdin!.write('1000\n');
    // The counter is far from 1000 by itself: a 4-digit value is a scaled one.
    await run.waitFor(/^show\s*\| \d{4,}$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(processesTagged(r.tag)).toEqual([]);
  });
});

describe('builtin - console lines longer than the limit', () => {
  it('a socket client sending one is answered with an error; its next lines and the run go on', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('echo.yaml')], { cwd: dir, env });
    await run.waitFor(/console of run [0-9a-f-]{26}/, 'stderr');
    const client = await rawConsoleClient(join(env.MARVELO_RUNTIME_DIR!, 'latest'));
    expect(JSON.parse(await client.nextLine())).toMatchObject({ marvelo: 'console', network: 'echo' });
    // 4 MiB in one write: more than the limit before its newline, then a line that fits.
    client.socket.write(`first\n${OVERLONG}${OVERLONG}${OVERLONG}${OVERLONG}\nsecond\n`);
    expect(JSON.parse(await client.nextLine())).toMatchObject({ marvelo: 'error', code: 'MRV_CONSOLE_LINE' });
    await run.waitFor(/^show\s*\| second$/m, 'stdout');
    run.proc.stdin!.end('third\n');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(['first', 'second', 'third']);
    expect(r.stderr).toMatch(/echo: finished in/);
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!)).toEqual([]);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('on the stdin of `marvelo run`: skipped with an error, the lines around it arrive', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('echo.yaml')], { cwd: dir, env });
    run.proc.stdin!.end(`42\n${OVERLONG}\nhello\n`);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(['42', 'hello']);
    expect(r.stderr).toMatch(/error: MRV_CONSOLE_LINE a line of more than 1048576 bytes \(1 MiB\) on the standard input was skipped\n  hint: /);
  });

  it('on the stdin of `marvelo console`: not sent, said, and the exit code is 1', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('echo.yaml')], { cwd: dir, env });
    await run.waitFor(/console of run [0-9a-f-]{26}/, 'stderr');
    const con = startCli(['console'], { cwd: dir, env });
    await con.waitFor(/attached to run/, 'stderr');
    con.proc.stdin!.end(`a\n${OVERLONG}\nb\n`);
    const c = await con.done;
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/error: MRV_CONSOLE_LINE a line of more than 1048576 bytes/);
    await run.waitFor(/^show\s*\| b$/m, 'stdout');
    run.proc.stdin!.end();
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(['a', 'b']);
  });
});

describe('builtin - the console socket is removed at the end of every run', () => {
  it('a failed run removes its socket and latest link', async () => {
    const { dir, env } = consoleEnv();
    const run = startCli(['run', builtinFixture('console-fails.yaml')], { cwd: dir, env });
    await run.waitFor(/console of run [0-9a-f-]{26}/, 'stderr');
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!).sort()).toEqual([expect.stringMatching(/\.sock$/), 'latest']);
    run.proc.stdin!.write('1\n2\n');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/job 'bad' failed/);
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!)).toEqual([]);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('the socket of a killed run is removed by the next run', async () => {
    const { dir, env } = consoleEnv();
    const killed = startCli(['run', builtinFixture('console.yaml')], { cwd: dir, env });
    const [, killedId] = await killed.waitFor(/console of run ([0-9a-f-]{26})/, 'stderr');
    killed.proc.kill('SIGKILL');
    await killed.done;
    const stale = join(env.MARVELO_RUNTIME_DIR!, `${killedId}.sock`);
    expect(existsSync(stale)).toBe(true); // a killed process removes nothing

    const next = startCli(['run', builtinFixture('console.yaml')], { cwd: dir, env });
    const [, nextId] = await next.waitFor(/console of run ([0-9a-f-]{26})/, 'stderr');
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!).sort()).toEqual([`${nextId}.sock`, 'latest']);
    next.proc.kill('SIGINT');
    expect((await next.done).code).toBe(130);
    expect(readdirSync(env.MARVELO_RUNTIME_DIR!)).toEqual([]);
  });
});

/** A console client of its own, as `socat - UNIX-CONNECT:...` would be: it reads what the run answers, line by line. */
function rawConsoleClient(path: string): Promise<{ socket: ReturnType<typeof createConnection>; nextLine(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let text = '';
    let closed = false;
    let waiting: (() => void) | undefined;
    socket.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      waiting?.();
    });
    socket.on('close', () => {
      closed = true;
      waiting?.();
    });
    const nextLine = async (): Promise<string> => {
      while (!text.includes('\n')) {
        if (closed) throw new Error(`the run closed the connection; it sent: ${text}`);
        await new Promise<void>((r) => (waiting = r));
      }
      const nl = text.indexOf('\n');
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      return line;
    };
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, nextLine }));
  });
}

describe('builtin - console lines as values', () => {
  it('sends a line that parses as JSON as that value, any other as its text, without a CR, and skips blank lines', async () => {
    const r = await testJob('builtin:console', { clientFeed: ['42', '', '  ', 'hello world\r', '{"a":[1,2]}', '"7"', 'null', '[1, "x"]'] });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([42, 'hello world', { a: [1, 2] }, '7', null, [1, 'x']]);
    expect(r.outputs[0]!.map((b) => b.sqn)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
