/**
 * `uses: python:path/to/jobs.py#ClassName`: a PythonJob of the original MARVELO, run unchanged by the
 * Python runtime in marvelo's `python/` folder. Internally it is an executable job: `python3 -m
 * marvelo_python --job <json>` in the job's folder, with the runtime and the job's code shipped there as
 * dependencies, so placement, SSH nodes and the worker treat it like any program (docs/python-jobs.md).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { MarveloError, type SourceLocation } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { RawJob } from './raw.js';
import { findOnPath } from './resolve-executable.js';
import type { YamlSource } from './source.js';
import type { JobStatics } from './statics.js';
import type { CodecSpec, JobSpec, PipeSpec } from './types.js';

export const PYTHON_PREFIX = 'python:';
const PYTHON = 'python3';
const RUNTIME_PACKAGES = ['fission', 'marvelo_python'];
/** Keys of executable jobs that a python job does not take (its arguments are its params). */
const PROGRAM_KEYS = ['args', 'input_flag', 'output_flag', 'pass', 'build'] as const;

export interface PythonJobRef {
  /** Absolute path of the .py file. */
  file: string;
  className: string;
  /** The files shipped into the job's folder for the module to import (absolute paths). */
  shipped: string[];
  /** The module's path inside the job's folder. */
  moduleInFolder: string;
}

export function isPythonUses(uses: string | undefined): boolean {
  return uses?.startsWith(PYTHON_PREFIX) === true;
}

export interface PythonJobPlace {
  job: RawJob;
  index: number;
  src: YamlSource;
  dir: string;
  usesAt: SourceLocation;
  codecs: Map<string, CodecSpec>;
  /** Import the module on the client to check the class and read its HEAD, GROUPS, ... */
  inspect: boolean;
}

export interface PythonJobLoad {
  ref?: PythonJobRef;
  statics: JobStatics;
  errors: MarveloError[];
}

/**
 * Every python job of the network, checked: the reference (file, class), the keys and codecs, and,
 * when inspecting, the class itself (constructor, run() arity, statics), all classes in one python3.
 */
export function loadPythonJobs(places: PythonJobPlace[]): Map<number, PythonJobLoad> {
  const loads = new Map<number, PythonJobLoad>();
  const toCheck: { place: PythonJobPlace; ref: PythonJobRef }[] = [];
  for (const place of places) {
    const load = referenceOf(place);
    loads.set(place.index, load);
    if (place.inspect && load.ref !== undefined && load.errors.length === 0) toCheck.push({ place, ref: load.ref });
  }
  if (toCheck.length === 0) return loads;
  const answers = checkClasses(toCheck);
  toCheck.forEach(({ place, ref }, i) => loads.set(place.index, { ref, ...answerToLoad(place, ref, answers, i) }));
  return loads;
}

/** The reference, checked as far as it can be without Python: file, class named, keys, codecs. */
function referenceOf(place: PythonJobPlace): PythonJobLoad {
  const { job, usesAt } = place;
  const fail = (message: string, hint: string) => ({
    statics: {},
    errors: [new MarveloError('MRV_CONFIG_MODULE', message, { where: usesAt, job: job.name, hint })],
  });
  const rest = job.uses!.slice(PYTHON_PREFIX.length);
  const hash = rest.lastIndexOf('#');
  if (hash < 0 || hash === rest.length - 1) {
    return fail(`python job ${rest} names no class`, 'write python:path/to/jobs.py#ClassName (the PythonJob subclass to run)');
  }
  const file = resolve(place.dir, rest.slice(0, hash));
  const className = rest.slice(hash + 1);
  if (!isFile(file)) {
    return fail(`python module ${rest.slice(0, hash)} does not exist (looked for ${file})`, `python: paths are relative to the network file's folder ${place.dir}`);
  }
  if (findOnPath(PYTHON, job.env?.PATH ?? process.env.PATH ?? '') === undefined) {
    return fail(`python job needs ${PYTHON}, and it was not found on PATH`, `install Python 3.8 or newer (${PYTHON}) on the client and on every node that runs python jobs`);
  }
  return { ref: { file, className, ...shipment(file) }, statics: {}, errors: [...programKeyErrors(place), ...codecErrors(place)] };
}

/**
 * What the module needs in the job's folder: its topmost package folder (so package-relative imports
 * work), or, for a module outside a package, the .py files and packages beside it.
 */
function shipment(file: string): { shipped: string[]; moduleInFolder: string } {
  let top: string | undefined;
  for (let dir = dirname(file); isFile(join(dir, '__init__.py')); dir = dirname(dir)) {
    top = dir;
    if (dirname(dir) === dir) break;
  }
  if (top !== undefined) return { shipped: [top], moduleInFolder: [basename(top), ...relative(top, file).split(sep)].join('/') };
  const dir = dirname(file);
  const shipped = readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() && e.name.endsWith('.py')) || (e.isDirectory() && isFile(join(dir, e.name, '__init__.py'))))
    .map((e) => join(dir, e.name))
    .sort();
  return { shipped, moduleInFolder: basename(file) };
}

/** The runtime's own packages, shipped beside the job's code. */
export function runtimeFolders(): string[] {
  return RUNTIME_PACKAGES.map((p) => join(packageRoot(), 'python', p));
}

function programKeyErrors({ job, index, src }: PythonJobPlace): MarveloError[] {
  const errors: MarveloError[] = [];
  for (const key of PROGRAM_KEYS) {
    if (job[key] === undefined) continue;
    errors.push(
      new MarveloError('MRV_CONFIG_SCHEMA', `'${key}' applies only to executable jobs, and ${job.uses} is a python job`, {
        where: src.keyAt(['jobs', index, key]),
        job: job.name,
        hint: 'remove it; a python job takes params: (its constructor keyword arguments)',
      }),
    );
  }
  if (job.timeout !== undefined) {
    errors.push(
      new MarveloError('MRV_CONFIG_SCHEMA', `job '${job.name}' is a python job: timeout applies only to script and builtin jobs`, {
        where: src.valueAt(['jobs', index, 'timeout']),
        job: job.name,
        hint: 'remove timeout (a network timeout: at the top of the file limits the whole run)',
      }),
    );
  }
  return errors;
}

const CARRIED = new Set(['msgpack', 'json', 'bytes']);

function codecErrors({ job, index, src, codecs }: PythonJobPlace): MarveloError[] {
  const errors: MarveloError[] = [];
  for (const side of ['inputs', 'outputs'] as const) {
    (job[side] ?? []).forEach((name, i) => {
      const codec = codecs.get(String(name));
      if (codec === undefined || CARRIED.has(codec.kind)) return;
      const what = codec.kind === 'typed' ? codec.type : 'a custom codec';
      errors.push(
        new MarveloError('MRV_CONFIG_PORTS', `${side === 'inputs' ? 'input' : 'output'} pipe '${name}' uses ${what}, which a python job cannot carry`, {
          where: src.valueAt(['jobs', index, side, i]),
          job: job.name,
          pipe: String(name),
          hint: 'give the pipe codec: msgpack (the original PicklePipe), json (JSONPipe) or bytes with block_size (BytesPipe)',
        }),
      );
    });
  }
  return errors;
}

interface CheckAnswer {
  ok: boolean;
  message?: string;
  hint?: string;
  statics?: { HEAD: boolean; GROUPS: string[] | null; DEFAULT_NODE: string | null; MAX_QUEUE: number | null };
}

type CheckResult = { answers: CheckAnswer[] } | { failure: string };

/** Imports the modules in one python3 subprocess (never in this process) and checks the classes. */
function checkClasses(jobs: { place: PythonJobPlace; ref: PythonJobRef }[]): CheckResult {
  const specs = jobs.map(({ place: { job }, ref }) => ({
    module: ref.file,
    class: ref.className,
    params: job.params ?? {},
    inputs: (job.inputs ?? []).map(String),
    outputs: (job.outputs ?? []).map(String),
  }));
  const out = spawnSync(PYTHON, ['-B', '-m', 'marvelo_python', '--check', JSON.stringify(specs)], {
    cwd: join(packageRoot(), 'python'),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const line = (out.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const answers = JSON.parse(line) as CheckAnswer[];
    if (Array.isArray(answers) && answers.length === jobs.length) return { answers };
  } catch {
    // reported below
  }
  const stderr = (out.stderr ?? '').trim().split('\n').slice(-5).join('\n  ');
  return { failure: stderr ? `:\n  ${stderr}` : ` (${out.error?.message ?? `status ${out.status}`})` };
}

function answerToLoad(place: PythonJobPlace, ref: PythonJobRef, result: CheckResult, i: number): Omit<PythonJobLoad, 'ref'> {
  const error = (message: string, hint: string) => ({
    statics: {},
    errors: [new MarveloError('MRV_CONFIG_MODULE', message, { where: place.usesAt, job: place.job.name, hint })],
  });
  if ('failure' in result) {
    return error(`checking python class ${ref.className} in ${ref.file} failed${result.failure}`, `the module must import with ${PYTHON} 3.8 or newer`);
  }
  const answer = result.answers[i]!;
  if (!answer.ok) return error(answer.message ?? 'the python job does not load', answer.hint || 'see docs/python-jobs.md');
  const s = answer.statics!;
  const statics: JobStatics = { head: s.HEAD };
  if (s.GROUPS) statics.groups = s.GROUPS;
  if (s.DEFAULT_NODE) statics.defaultNode = s.DEFAULT_NODE;
  if (s.MAX_QUEUE) statics.maxQueue = s.MAX_QUEUE;
  return { statics, errors: [] };
}

/**
 * Turns the resolved job into the executable job that runs it: the runtime and the module are shipped
 * into the job's folder; the stream always carries heads, and the runtime applies the class's HEAD.
 */
export function asPythonExecutable(spec: JobSpec, ref: PythonJobRef, head: boolean | undefined): void {
  spec.kind = 'executable';
  spec.module = undefined;
  const code = [...runtimeFolders(), ...ref.shipped];
  spec.dependencies = [...code, ...spec.dependencies];
  spec.executable = { command: PYTHON, args: [], inputFlag: '-i', outputFlag: '-o', pass: 'fd' };
  spec.python = { file: ref.file, className: ref.className, code };
  pythonJobs.set(spec, { ref, head: head ?? null });
  spec.head = true;
}

/** HEAD: the network file's head:, else the class's (null: read by the runtime, when not inspected). */
const pythonJobs = new WeakMap<JobSpec, { ref: PythonJobRef; head: boolean | null }>();

/** Once the pipes are resolved: the runtime's arguments (the job description it runs). */
export function completePythonArgs(spec: JobSpec, pipes: Record<string, PipeSpec>): void {
  const entry = pythonJobs.get(spec);
  if (entry === undefined) return;
  const port = (name: string) => {
    const pipe = pipes[name]!;
    return {
      name,
      codec: pipe.codec.kind,
      ...(pipe.codec.kind === 'bytes' ? { block_size: pipe.codec.blockSize } : {}),
      block_count: pipe.blockCount,
      optional: pipe.optional !== undefined,
    };
  };
  const description = {
    name: spec.name,
    module: entry.ref.moduleInFolder,
    class: entry.ref.className,
    params: spec.params,
    head: entry.head,
    head_size: spec.headSize,
    inputs: spec.inputs.map(port),
    outputs: spec.outputs.map((name) => {
      const { block_count: _count, optional: _optional, ...rest } = port(name);
      return rest;
    }),
  };
  spec.executable!.args = ['-B', '-u', '-m', 'marvelo_python', '--job', JSON.stringify(description)];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

