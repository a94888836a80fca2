/** Bundles and imports each module file once, however many jobs or pipes use it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { isMarveloError, MarveloError } from '../errors.js';
import { bundleModule, type Bundle } from '../launch/bundle.js';
import { importBundle } from '../worker/boot/import-bundle.js';
import { closest } from './suggest.js';

export type LoadedModule =
  | { ok: true; bundle: Bundle; exports: Record<string, unknown> }
  /** `error` is complete when the bundle failed (it points into the module); `cause` when it threw on import. */
  | { ok: false; error: MarveloError; threw: boolean };

export class ModuleLoader {
  private readonly loaded = new Map<string, Promise<LoadedModule>>();
  private readonly bundled = new Map<string, Promise<Bundle | MarveloError>>();

  constructor(
    private readonly bundleDir: string,
    /** Told of each module once bundled, with its bundle's size. */
    private readonly onBundled?: (file: string, bytes: number) => void,
  ) {}

  /** Bundle only (when the client must not run user code). */
  bundle(file: string): Promise<Bundle | MarveloError> {
    let p = this.bundled.get(file);
    if (p === undefined) {
      p = bundleModule(file, this.bundleDir).then(
        async (bundle) => {
          if (this.onBundled) this.onBundled(file, await stat(bundle.file).then((st) => st.size, () => 0));
          return bundle;
        },
        (e: unknown) => {
          if (isMarveloError(e)) return e;
          throw e;
        },
      );
      this.bundled.set(file, p);
    }
    return p;
  }

  load(file: string): Promise<LoadedModule> {
    let p = this.loaded.get(file);
    if (p === undefined) {
      p = this.bundleAndImport(file);
      this.loaded.set(file, p);
    }
    return p;
  }

  private async bundleAndImport(file: string): Promise<LoadedModule> {
    const bundle = await this.bundle(file);
    if (isMarveloError(bundle)) return { ok: false, error: bundle, threw: false };
    try {
      return { ok: true, bundle, exports: await importBundle(bundle) };
    } catch (e) {
      const error = new MarveloError('MRV_CONFIG_MODULE', `module ${file} threw while loading: ${String(e)}`, {
        hint: "fix the module's top-level code: it runs when the network is loaded and on every worker",
        cause: e,
      });
      return { ok: false, error, threw: true };
    }
  }
}

export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A "did you mean" for a module path that does not exist, from the files of its folder. */
export function nearbyFile(missing: string, networkDir: string): string | undefined {
  const dir = dirname(missing);
  if (!existsSync(dir)) return undefined;
  const base = basename(missing);
  const names = readdirSync(dir);
  const match = names.find((n) => n.startsWith(`${base}.`)) ?? closest(base, names);
  if (match === undefined) return undefined;
  const rel = relative(networkDir, join(dir, match));
  return rel.startsWith('.') ? rel : `./${rel}`;
}
