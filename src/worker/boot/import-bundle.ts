import { pathToFileURL } from 'node:url';
import { installApiGlobal } from '../../jobs/api-global.js';

/**
 * Loads a bundle in this process (the client inspecting a job class, or a worker). Apart from
 * src/launch/bundle.ts so that workers never load esbuild (it costs ~100 ms of start-up per worker).
 */
export async function importBundle(bundle: { file: string }): Promise<Record<string, unknown>> {
  installApiGlobal();
  // Stack traces of job code then point at the user's file and line, through the inline source map.
  process.setSourceMapsEnabled(true);
  return (await import(pathToFileURL(bundle.file).href)) as Record<string, unknown>;
}
