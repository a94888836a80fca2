import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import PQueue from 'p-queue';
import type { SFTPWrapper } from 'ssh2';
import { MarveloError } from '../../errors.js';

/** One file for a node's cache. */
export interface Upload {
  source: string;
  /** Its name in the cache (content hash and extension). */
  name: string;
  executable: boolean;
}

export interface UploadReport {
  /** Files uploaded, and their bytes. */
  files: number;
  bytes: number;
  /** Files the node's cache already had. */
  cached: number;
}

/** Uploads at once over all nodes: SFTP is CPU-bound on the client (encryption), more only queue. */
const allNodes = new PQueue({ concurrency: 8 });
/** Uploads at once to one node. */
const PER_NODE = 4;

/**
 * Puts into `cache` (a folder on the node) the files it does not have yet. Each file is written under a
 * temporary name and renamed into place, so a run never sees a half-written file, and two clients
 * shipping the same file at once both succeed.
 */
export async function uploadMissing(sftp: SFTPWrapper, node: string, cache: string, files: readonly Upload[]): Promise<UploadReport> {
  const present = new Set(
    await readdir(sftp, cache).catch((err: Error) => {
      throw new MarveloError('MRV_LAUNCH_NODE', `cannot list the cache of node '${node}' (${cache}): ${err.message}`, {
        hint: "check that the node's `root` folder can be read and written by its SSH user",
        cause: err,
      });
    }),
  );
  const wanted = new Map<string, Upload>();
  for (const f of files) if (!present.has(f.name)) wanted.set(f.name, f);
  const report: UploadReport = { files: 0, bytes: 0, cached: new Set(files.map((f) => f.name)).size - wanted.size };
  const perNode = new PQueue({ concurrency: PER_NODE });
  await Promise.all(
    [...wanted.values()].map((f) =>
      perNode.add(() =>
        allNodes.add(async () => {
          await put(sftp, f, `${cache}/${f.name}`).catch((err: Error) => {
            throw new MarveloError('MRV_LAUNCH_NODE', `cannot upload ${f.source} to node '${node}' (${cache}): ${err.message}`, {
              hint: "check the free space and permissions of the node's `root` folder (`marvelo nodes` shows both)",
              cause: err,
            });
          });
          report.files++;
          report.bytes += statSync(f.source).size;
        }),
      ),
    ),
  );
  return report;
}

async function put(sftp: SFTPWrapper, f: Upload, target: string): Promise<void> {
  const part = `${target}.part-${randomBytes(4).toString('hex')}`;
  await new Promise<void>((resolve, reject) =>
    sftp.fastPut(f.source, part, { concurrency: 16, chunkSize: 262144, mode: f.executable ? 0o755 : 0o644 }, (err) => (err ? reject(err) : resolve())),
  );
  // posix-rename replaces a file another client put there meanwhile (the same content).
  await new Promise<void>((resolve, reject) => sftp.ext_openssh_rename(part, target, (err) => (err ? reject(err) : resolve())));
}

function readdir(sftp: SFTPWrapper, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => sftp.readdir(dir, (err, list) => (err ? reject(err) : resolve(list.map((e) => e.filename)))));
}
