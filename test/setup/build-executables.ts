/**
 * Vitest global setup: compiles the example C programs (jobs/exec/*.c -> jobs/exec/bin/) with the
 * system compiler before any test runs, like `npm run build:examples`. Up-to-date programs are kept.
 */
import { buildExamples } from '../../jobs/exec/build.mjs';

export default function setup(): void {
  buildExamples();
}
