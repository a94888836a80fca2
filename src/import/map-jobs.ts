/**
 * The original's jobs as network-file jobs: PythonJobs as `uses: python:`, ExecutableJob / MARVELOJob
 * (and their Dynamic* forms) as `executable:` jobs, CSVSinkJob and InteractiveJob as built-ins.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { describeJob, pipeName, pipeRef } from './names.js';
import type { Notes } from './notes.js';
import type { JsonValue, OriginalJob, OriginalPipe } from './original.js';

export type YamlJob = Record<string, JsonValue>;

export interface JobContext {
  /** The folder network.yaml is written to: paths in it are relative to this. */
  outDir: string;
  names: Map<number, string>;
  pipes: Map<number | string, OriginalPipe>;
  notes: Notes;
}

/** Folders never shipped as dependencies. */
const SKIPPED_ENTRIES = new Set(['__pycache__', '.git', '.idea']);

export function mapJob(job: OriginalJob, ctx: JobContext): YamlJob | undefined {
  const name = ctx.names.get(job.id)!;
  const subject = describeJob(job, name);
  let body: YamlJob | undefined;
  switch (job.kind) {
    case 'python':
      body = pythonJob(job, subject, ctx);
      break;
    case 'executable':
    case 'marvelo':
      body = executableJob(job, subject, ctx);
      break;
    case 'csv-sink':
      body = csvSinkJob(job, subject, ctx);
      break;
    case 'console':
      body = { uses: 'builtin:console' };
      ctx.notes.changed(subject, 'builtin:console replaces InteractiveJob: lines are typed into the terminal of marvelo run (or sent with marvelo console), not into a new terminal window; a line that is JSON arrives as that value (10 is a number), any other line as a string; a blank line is skipped instead of ending it');
      break;
    default:
      ctx.notes.dropped(subject, `not a PythonJob, ExecutableJob, MARVELOJob, CSVSinkJob or InteractiveJob (its classes: ${job.bases.join(', ')}), so nothing can run it; its pipes are left without this end`);
      return undefined;
  }
  if (body === undefined) return undefined;
  const out: YamlJob = { name, ...body };
  if (job.inputs.length > 0) out.inputs = job.inputs.map(pipeRef);
  if (job.outputs.length > 0) out.outputs = job.outputs.map(pipeRef);
  placement(job, out, subject, ctx);
  return out;
}

function placement(job: OriginalJob, out: YamlJob, subject: string, ctx: JobContext): void {
  const builtinLocal = job.kind === 'csv-sink' || job.kind === 'console';
  const groups = job.groups.filter((g) => g !== 'ALL');
  if (groups.length > 0 && !(builtinLocal && groups.length === 1 && groups[0] === 'LOCAL')) out.groups = groups;
  if (job.default_node) out.default_node = job.default_node;
  if (job.max_queue > 0) out.max_queue = job.max_queue;
  if (job.has_preference) {
    ctx.notes.dropped(subject, 'preference(nodeinfos) is not called: placement is by default_node, then groups in order, the node with the fewest jobs first (marvelo plan shows it); the original\'s node metrics (BATMAN TQ, free CPU) do not exist here');
  }
  const deps = job.dependencies;
  if (deps.missing.length > 0) ctx.notes.dropped(subject, `DEPENDENCIES ${deps.missing.join(', ')} is not a folder (relative to the project folder, as the original read it)`);
  if (deps.modules.length > 0) {
    ctx.notes.changed(subject, `DEPENDENCIES modules ${deps.modules.join(', ')}: nothing to list, the Python runtime imports a job's modules itself`);
  }
  if (deps.dirs.length > 0 && job.kind === 'python') {
    out.dependencies = dependencyEntries(deps.dirs[0]!, ctx.outDir);
    ctx.notes.changed(subject, "its DEPENDENCIES files are in the job's own folder, $MARVELO_JOB_DIR, not in its working folder (the original made that folder its working folder): open them as os.path.join(os.environ['MARVELO_JOB_DIR'], name)");
  }
}

/**
 * The entries of a DEPENDENCIES folder, each as a dependency: the original copied the folder's
 * contents into the job's working folder, and marvelo puts each dependency there by its name.
 */
function dependencyEntries(dir: string, outDir: string): string[] {
  return readdirSync(dir)
    .filter((e) => !SKIPPED_ENTRIES.has(e))
    .sort()
    .map((e) => relPath(outDir, join(dir, e)));
}

function relPath(from: string, to: string): string {
  const rel = relative(from, to);
  return rel === '' ? '.' : rel;
}

function pythonJob(job: OriginalJob, subject: string, ctx: JobContext): YamlJob | undefined {
  if (job.file === null || job.module.split('.')[0] === 'fission') {
    ctx.notes.dropped(subject, `its class ${job.cls} has no source file of the network (module ${job.module}), so it cannot be named in uses: python:`);
    return undefined;
  }
  const out: YamlJob = { uses: `python:${relPath(ctx.outDir, job.file)}#${job.cls}` };
  const params = job.params ?? {};
  if (Object.keys(params).length > 0) out.params = params;
  for (const lost of job.params_lost ?? []) {
    ctx.notes.dropped(
      subject,
      lost.why === 'unnamed'
        ? `constructor ${lost.param} (${lost.repr}) has no parameter name (it went to *args), and params are passed by name; give the constructor a named parameter for it`
        : `constructor argument ${lost.param} = ${lost.repr} is not JSON data (numbers, strings, lists, maps), so it cannot be a param; build it in the job's setup() from plain params`,
    );
  }
  return out;
}

function executableJob(job: OriginalJob, subject: string, ctx: JobContext): YamlJob | undefined {
  const words = (job.executable ?? '').split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    ctx.notes.dropped(subject, 'it has no EXECUTABLE');
    return undefined;
  }
  const depDir = job.dependencies.dirs[0];
  const [program, ...rest] = words as [string, ...string[]];
  const out: YamlJob = { executable: programPath(program, depDir, ctx.outDir) };
  const args = [...rest, ...(job.parameters ?? '').split(/\s+/).filter(Boolean)];
  if (args.length > 0) out.args = args;
  if (job.input_flag !== undefined && job.input_flag !== '-i') out.input_flag = job.input_flag;
  if (job.output_flag !== undefined && job.output_flag !== '-o') out.output_flag = job.output_flag;
  if (job.kind === 'marvelo') out.pass = 'fd';
  if (job.head) out.head = true;
  if (depDir !== undefined) out.dependencies = dependencyEntries(depDir, ctx.outDir);
  const pickled = [...job.inputs, ...job.outputs].filter((id) => ctx.pipes.get(id)?.codec === 'msgpack');
  if (pickled.length > 0) {
    ctx.notes.changed(subject, `the program reads and writes msgpack on pipe(s) ${pickled.map(pipeName).join(', ')}, not pickle (marvelo never unpickles): one msgpack value per block (docs/executables.md)`);
  }
  return out;
}

/**
 * The program as the original's Popen found it: a path relative to the job's working folder (which held
 * the DEPENDENCIES folder's contents) becomes a path relative to the network file; a bare name is looked
 * up on PATH, as before.
 */
function programPath(program: string, depDir: string | undefined, outDir: string): string {
  if (!program.includes('/') || isAbsolute(program)) return program;
  if (depDir !== undefined && existsSync(resolve(depDir, program))) return relPath(outDir, resolve(depDir, program));
  return program;
}

function csvSinkJob(job: OriginalJob, subject: string, ctx: JobContext): YamlJob {
  const csv = job.csv!;
  const names = job.inputs.map(pipeName);
  const params: Record<string, JsonValue> = { path: csv.path };
  if (csv.columns.some((c, i) => c !== names[i])) params.columns = csv.columns;
  ctx.notes.changed(subject, `builtin:csv-sink writes ${csv.path} relative to the folder marvelo run is started in (the original: <network>/local/<job id>/ or the simulation folder); cells are plain values and JSON for lists and maps ([1,2], true), where the original wrote Python's str() ([1, 2], True)`);
  return { uses: 'builtin:csv-sink', params };
}
