import { parseArgs } from 'node:util';
import { formatMarker } from '../lib/markers.js';
import { withTempDir } from '../lib/temp-dir.js';
import { runShape } from './launch-shape.js';
import { demoShape } from './shapes.js';

/**
 * The ceiling of [startup]: a client process that starts the demo's six processes (the ceiling's
 * join shape), connects them and runs `--blocks` blocks through, as `marvelo run` does for the demo,
 * without YAML, bundling, handshakes or supervision. It relays the sink's marker to its stdout.
 */
export async function runStartupClient(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { blocks: { type: 'string', default: '50' } }, strict: true });
  const blocks = Number(values.blocks);
  await withTempDir(async (dir) => {
    await runShape(demoShape(dir, { blocks, warmup: 0 }), {
      onMarker: (stage, m) => {
        if (stage === 'sink') process.stdout.write(formatMarker(m) + '\n');
      },
    });
  });
}
