import { describe, expect, it } from 'vitest';
import { formatFailure } from '../../src/cli/format.js';

describe('cli - a failure as the user sees it', () => {
  it("keeps the job's own stack frames, not marvelo's nor Node's", () => {
    const stack = [
      'MarveloError: the producer closed the connection',
      '    at Reader.onClose (/opt/marvelo/dist/worker/main.js:10:5)',
      '    at Socket.emit (node:events:524:28)',
      '    at Pipe.<anonymous> (node:net:343:12)',
      '    at node:internal/main/run_main_module:28:49',
      '    at Filter.run (file:///home/me/jobs/filter.ts:7:11)',
    ].join('\n');
    const text = formatFailure({ job: 'filter', message: 'boom', code: 'MRV_JOB_FAILED', phase: 'run', stack });
    expect(text).toBe("error: job 'filter' failed: MRV_JOB_FAILED boom\n    at Filter.run (file:///home/me/jobs/filter.ts:7:11)");
  });
});
