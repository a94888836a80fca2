import { join } from 'node:path';
import { packageRoot } from '../paths.js';

/**
 * The worker as one self-contained file (npm run build): what a node needs besides Node.js itself. It
 * is shipped to remote nodes like any job bundle.
 */
export function workerRuntime(): string {
  return join(packageRoot(), 'dist', 'worker-runtime.mjs');
}
