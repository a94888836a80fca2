/**
 * The per-user folder of console sockets: `$MARVELO_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/marvelo`, else
 * `<tmpdir>/marvelo-<uid>`. Mode 0700 and owned by this user, so only the same user can attach.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { MarveloError } from '../errors.js';

/** The link to the latest run's console socket. */
export const LATEST = 'latest';

export function runtimeDir(): string {
  const own = process.env.MARVELO_RUNTIME_DIR;
  if (own) return resolve(own);
  const xdg = process.env.XDG_RUNTIME_DIR;
  if (xdg) return join(xdg, 'marvelo');
  return join(tmpdir(), `marvelo-${process.getuid?.() ?? userInfo().username}`);
}

export function consoleSocketPath(dir: string, runId: string): string {
  return join(dir, `${runId}.sock`);
}

/** Creates the folder, or checks that the existing one is a private folder of this user. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new MarveloError('MRV_CONSOLE_SOCKET', `refusing to use ${dir} for console sockets: it is not a folder owned by this user`, {
      hint: 'remove it, or set MARVELO_RUNTIME_DIR to a private folder',
    });
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
