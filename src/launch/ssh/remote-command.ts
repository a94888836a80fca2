/**
 * The one place that turns values into a remote shell command (DESIGN section 8): every value is quoted,
 * so a file name, a node root or a job name is never parsed as shell syntax on the node.
 */
import type { Client } from 'ssh2';
import { MarveloError } from '../../errors.js';

// No '=': a first word like A=b would be an assignment, not a command.
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** POSIX sh quoting: each argument as one word (single quotes, `'` as `'\''`); safe words stay as they are. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (SAFE_WORD.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface RemoteResult {
  /** The exit status; null when the command ended without one (killed by a signal, or the node died). */
  code: number | null;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

export interface RemoteOptions {
  /** Written to the command's stdin, which is then closed (a script for `sh -s` travels this way). */
  stdin?: string | Buffer;
  /** The node's name, for errors. */
  node?: string;
}

/**
 * Runs `argv` (quoted by shellQuote) over an open connection and collects its output and exit status.
 * Rejects (MRV_SSH_COMMAND) only when the command cannot be started; a failing command resolves.
 */
export function runRemote(client: Client, argv: readonly string[], opts: RemoteOptions = {}): Promise<RemoteResult> {
  const command = shellQuote(argv);
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) {
        reject(
          new MarveloError('MRV_SSH_COMMAND', `cannot run \`${argv[0]}\`${opts.node ? ` on node '${opts.node}'` : ''}: ${err.message}`, {
            hint: 'the SSH connection broke, or the node allows no more sessions (sshd MaxSessions)',
            cause: err,
          }),
        );
        return;
      }
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let code: number | null = null;
      let signal: string | undefined;
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errOut.push(d));
      stream.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? undefined;
      });
      stream.on('close', () => {
        resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
      });
      stream.end(opts.stdin);
    });
  });
}
