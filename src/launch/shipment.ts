import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import type { LoadedNetwork } from '../config/load.js';
import type { JobSpec } from '../config/types.js';
import { MarveloError } from '../errors.js';

/**
 * One file to put on a node. Nodes keep files by content (`<root>/cache/<name>`), so a file is uploaded
 * once per node, whatever run or job needs it.
 */
export interface Artifact {
  /** The file on the client. */
  source: string;
  /** Set it executable on the node (programs given by path). */
  executable: boolean;
}

/** A file of a job's folder: `rel` is where it appears, relative to the folder. */
export interface FolderEntry {
  rel: string;
  artifact: Artifact;
}

/**
 * What one job needs on its node, described by content and relative names, never by where it is on
 * the client: each launcher decides how it gets there (the local one reads the client's files in place,
 * the SSH one ships them by hash).
 */
export interface JobShipment {
  job: string;
  /** The job module's bundle (script and builtin jobs). */
  bundle: Artifact | undefined;
  /** Custom codec bundles, by pipe. */
  codecs: Record<string, Artifact>;
  /** The program of an executable job when it is given by path (a command name is looked up on the node's PATH). */
  program: Artifact | undefined;
  /** The dependencies, file by file: a file `lut.bin` appears as `lut.bin`, a folder `data/` as `data/...`. */
  folder: FolderEntry[];
}

/** What each job of a loaded network needs on its node. */
export function shipmentsOf({ network, bundles, codecBundles }: LoadedNetwork): JobShipment[] {
  return network.jobs.map((spec) => {
    const codecs: Record<string, Artifact> = {};
    for (const pipe of [...spec.inputs, ...spec.outputs]) {
      const b = codecBundles.get(pipe);
      if (b) codecs[pipe] = { source: b.file, executable: false };
    }
    const bundle = bundles.get(spec.name);
    return {
      job: spec.name,
      bundle: bundle && { source: bundle.file, executable: false },
      codecs,
      program: programOf(spec),
      folder: spec.dependencies.flatMap((dep) => folderEntries(spec.name, dep, spec.python?.code.includes(dep) === true)),
    };
  });
}

function programOf(spec: JobSpec): Artifact | undefined {
  const command = spec.executable?.command;
  return command !== undefined && command.includes('/') ? { source: command, executable: true } : undefined;
}

/**
 * A dependency's files, named by its base name (a folder's files below it). A python job's code folder
 * leaves out what is not code: hidden entries (such as the run records in `.marvelo/`, when the network
 * file is inside the package) and `__pycache__`.
 */
function folderEntries(job: string, path: string, pythonCode = false): FolderEntry[] {
  const name = basename(path);
  if (!statSync(path).isDirectory()) return [entry(job, name, path)];
  const out: FolderEntry[] = [];
  for (const e of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue;
    const file = join(e.parentPath, e.name);
    const parts = relative(path, file).split(sep);
    if (pythonCode && parts.some((p) => p.startsWith('.') || p === '__pycache__')) continue;
    out.push(entry(job, [name, ...parts].join('/'), file));
  }
  return out;
}

/** A node's keeper gets each name on a line of its own: a name with a line break or a control character cannot be shipped. */
function entry(job: string, rel: string, file: string): FolderEntry {
  if (/[\u0000-\u001f\u007f]/.test(rel)) {
    throw new MarveloError('MRV_CONFIG_MODULE', `dependency file ${JSON.stringify(file)} has a line break or a control character in its name`, {
      job,
      hint: 'rename the file: dependencies are shipped to nodes by name',
    });
  }
  return { rel, artifact: { source: file, executable: isExecutable(file) } };
}

function isExecutable(file: string): boolean {
  return (statSync(file).mode & 0o111) !== 0;
}

const hashes = new Map<string, Promise<string>>();

/**
 * The name an artifact has in a node's cache: its content's sha256 (hex, 32 characters) and its
 * extension (Node decides by the extension that a bundle is an ES module). Hashed once per client
 * process and file (size and mtime tell a changed file).
 */
export function cacheName(artifact: Artifact): Promise<string> {
  const st = statSync(artifact.source);
  const key = `${artifact.source}\0${st.size}\0${st.mtimeMs}\0${artifact.executable}`;
  let name = hashes.get(key);
  if (name === undefined) {
    name = hashFile(artifact.source).then((h) => `${h}${artifact.executable ? 'x' : ''}${safeExtension(artifact.source)}`);
    hashes.set(key, name);
  }
  return name;
}

function safeExtension(file: string): string {
  const ext = extname(file);
  return /^\.[A-Za-z0-9]{1,8}$/.test(ext) ? ext : '';
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex').slice(0, 32)))
      .on('error', reject);
  });
}
