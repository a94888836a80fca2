/**
 * Finds, bundles and (when inspecting) imports every job module and custom codec, and checks that the
 * named export is what the network file says it is.
 */
import { resolve } from 'node:path';
import { MarveloError, type SourceLocation } from '../errors.js';
import { builtinNames, resolveBuiltin } from '../jobs/builtins.js';
import { isExecutableJobClass, type ExecutableJobClass } from '../jobs/executable-job.js';
import { isScriptJobClass, type ScriptJobClass } from '../jobs/script-job.js';
import type { Bundle } from '../launch/bundle.js';
import { splitModuleRef } from './codec.js';
import { isFile, nearbyFile, type ModuleLoader } from './module-loader.js';
import type { RawJob } from './raw.js';
import { didYouMean } from './suggest.js';
import type { CodecSpec, ModuleRef } from './types.js';

export interface JobModule {
  ref: ModuleRef;
  builtin: string | undefined;
  bundle: Bundle | undefined;
  /** Only when the module was imported (inspect). */
  cls: ScriptJobClass | undefined;
  /** Instead of `cls`, when the export is an ExecutableJob class (inspect only). */
  executableCls?: ExecutableJobClass;
}

export interface ModuleContext {
  dir: string;
  loader: ModuleLoader;
  inspect: boolean;
  /** Module files whose bundling or loading already produced an error (reported once). */
  reported: Set<string>;
}

/** A job's module, or the errors that prevent using it. */
export async function loadJobModule(
  job: RawJob,
  usesAt: SourceLocation,
  ctx: ModuleContext,
): Promise<{ module?: JobModule; errors: MarveloError[] }> {
  const uses = job.uses!;
  const fail = (message: string, hint: string) => ({
    errors: [new MarveloError('MRV_CONFIG_MODULE', message, { where: usesAt, job: job.name, hint })],
  });
  let ref: ModuleRef;
  let builtin: string | undefined;
  if (uses.startsWith('builtin:')) {
    builtin = uses.slice('builtin:'.length);
    const found = resolveBuiltin(builtin);
    if (found === undefined) {
      const known = builtinNames();
      return fail(
        `unknown builtin job '${builtin}'`,
        `${didYouMean(builtin, known)}known builtins: ${known.length ? known.join(', ') : '(none yet)'}`,
      );
    }
    ref = found;
  } else {
    const { file, exportName } = splitModuleRef(uses);
    ref = { file: resolve(ctx.dir, file), exportName };
    if (!isFile(ref.file)) {
      const near = nearbyFile(ref.file, ctx.dir);
      return fail(
        `module file ${file} does not exist (looked for ${ref.file})`,
        `${near ? `did you mean '${near}'? ` : ''}module paths are relative to the network file's folder ${ctx.dir}`,
      );
    }
  }
  const loaded = await loadExport(ref, usesAt, job.name, ctx);
  if (!loaded.ok) return { errors: loaded.errors };
  const { bundle, value } = loaded;
  if (!ctx.inspect) return { module: { ref, builtin, bundle, cls: undefined }, errors: [] };
  if (isExecutableJobClass(value)) return { module: { ref, builtin, bundle, cls: undefined, executableCls: value }, errors: [] };
  if (!isScriptJobClass(value)) return fail(notAJobMessage(ref, value), notAJobHint(value));
  return { module: { ref, builtin, bundle, cls: value }, errors: [] };
}

/** A custom codec module: it must exist and (when inspecting) export pack and unpack. */
export async function loadCodecModule(
  pipe: string,
  codec: Extract<CodecSpec, { kind: 'custom' }>,
  codecAt: SourceLocation,
  written: string,
  ctx: ModuleContext,
): Promise<{ bundle?: Bundle; errors: MarveloError[] }> {
  const ref = { file: codec.module, exportName: codec.exportName };
  if (!isFile(ref.file)) {
    const near = nearbyFile(ref.file, ctx.dir);
    const error = new MarveloError('MRV_CONFIG_MODULE', `codec module ${written} does not exist (looked for ${ref.file})`, {
      where: codecAt,
      pipe,
      hint: `${near ? `did you mean '${near}'? ` : ''}codec paths are relative to the network file's folder ${ctx.dir}`,
    });
    return { errors: [error] };
  }
  const loaded = await loadExport(ref, codecAt, undefined, ctx);
  if (!loaded.ok) return { errors: loaded.errors.map((e) => withPipe(e, pipe)) };
  if (ctx.inspect && !isCodec(loaded.value)) {
    const error = new MarveloError('MRV_CONFIG_MODULE', `export '${ref.exportName}' of ${ref.file} is not a codec: it lacks pack() and unpack()`, {
      where: codecAt,
      pipe,
      hint: 'export an object with pack(value): Uint8Array and unpack(bytes): value (and read/write for executables)',
    });
    return { errors: [error] };
  }
  return { bundle: loaded.bundle, errors: [] };
}

/** `errors` may be empty when not ok: the module's failure was already reported for another job. */
type LoadedExport = { ok: true; bundle: Bundle; value: unknown } | { ok: false; errors: MarveloError[] };

async function loadExport(ref: ModuleRef, at: SourceLocation, job: string | undefined, ctx: ModuleContext): Promise<LoadedExport> {
  // A broken module is reported once, for its first user, however many jobs use it.
  const onceFor = (error: MarveloError): MarveloError[] => {
    if (ctx.reported.has(ref.file)) return [];
    ctx.reported.add(ref.file);
    return [error];
  };
  if (!ctx.inspect) {
    const bundle = await ctx.loader.bundle(ref.file);
    if (bundle instanceof MarveloError) return { ok: false, errors: onceFor(relocate(bundle, bundle.where ?? at, job)) };
    return { ok: true, bundle, value: undefined };
  }
  const loaded = await ctx.loader.load(ref.file);
  if (!loaded.ok) {
    const error = relocate(loaded.error, loaded.threw ? at : (loaded.error.where ?? at), job);
    return { ok: false, errors: onceFor(error) };
  }
  const { exports } = loaded;
  if (!(ref.exportName in exports)) {
    const names = Object.keys(exports);
    const what = ref.exportName === 'default' ? 'no default export' : `no export '${ref.exportName}'`;
    const jobExport = names.find((n) => isScriptJobClass(exports[n]) || isExecutableJobClass(exports[n])) ?? names[0];
    const pick = ref.exportName === 'default' && jobExport !== undefined ? `; pick one with '#${jobExport}'` : '';
    const error = new MarveloError('MRV_CONFIG_MODULE', `module ${ref.file} has ${what}`, {
      where: at,
      job,
      hint: `${didYouMean(ref.exportName, names)}it exports: ${names.length ? names.join(', ') : '(nothing)'}${pick}`,
    });
    return { ok: false, errors: [error] };
  }
  return { ok: true, bundle: loaded.bundle, value: exports[ref.exportName] };
}

function relocate(e: MarveloError, where: SourceLocation, job: string | undefined): MarveloError {
  return new MarveloError(e.code, e.message, { where, job, hint: e.hint, cause: e.cause });
}

function withPipe(e: MarveloError, pipe: string): MarveloError {
  return new MarveloError(e.code, e.message, { where: e.where, pipe, hint: e.hint, cause: e.cause });
}

function isCodec(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const v = value as { pack?: unknown; unpack?: unknown; prototype?: { pack?: unknown; unpack?: unknown } };
  const has = (o: { pack?: unknown; unpack?: unknown } | undefined) => typeof o?.pack === 'function' && typeof o.unpack === 'function';
  return has(v) || has(v.prototype);
}

function notAJobMessage(ref: ModuleRef, value: unknown): string {
  const what =
    typeof value === 'function'
      ? /^class\b/.test(Function.prototype.toString.call(value))
        ? "a class that does not extend marvelo's ScriptJob"
        : 'a function'
      : value === null
        ? 'null'
        : `a ${typeof value}`;
  const name = ref.exportName === 'default' ? 'the default export' : `export '${ref.exportName}'`;
  return `${name} of ${ref.file} is not a ScriptJob subclass (it is ${what})`;
}

function notAJobHint(value: unknown): string {
  if (typeof value === 'function' && extendsForeignScriptJob(value)) {
    return "it extends another copy of ScriptJob: import ScriptJob from 'marvelo', not from a path into marvelo's sources";
  }
  return "export a class that extends ScriptJob, e.g. import { ScriptJob } from 'marvelo'; export default class Count extends ScriptJob { run() {...} } (or one that extends ExecutableJob to run a program)";
}

function extendsForeignScriptJob(fn: object): boolean {
  for (let p = Object.getPrototypeOf(fn); p !== null && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    if ((p as { name?: unknown }).name === 'ScriptJob') return true;
  }
  return false;
}
