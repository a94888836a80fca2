import type { PipeCounters } from '../control/messages.js';

export function newCounters(): PipeCounters {
  return { blocks: 0, bytes: 0, dropped: 0, dummies: 0, stale: 0, incomplete: 0, overflow: 0, skipped: 0, replayed: 0 };
}
