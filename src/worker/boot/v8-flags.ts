import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags every worker runs with (and, in the bench, every ceiling process, so that the comparison
 * stays one of code, not of flags).
 *
 * - Inlining budget: a block's path through a worker is a chain of small functions (frame parse ->
 *   input port -> round assembler -> job -> output port -> frame writer), and it is fast only when
 *   TurboFan inlines that chain into the read loop. V8's default budget for inlining into one function
 *   (920 bytes of bytecode) runs out part-way along it, and which helpers are left as calls then changes
 *   with small edits elsewhere.
 * - No young-generation growth: V8 doubles the young generation each time the bytes that survived
 *   scavenges since the last growth add up to its size. A worker under load allocates short-lived objects
 *   at hundreds of MB/s, so the few that survive each scavenge add up, and a source's RSS stepped from 61
 *   to 68 to 81 MB within five minutes (96 new 256 KiB V8 pages, while its live heap stayed at 6 MB).
 */
export const WORKER_V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=3000', '--semi-space-growth-factor=1'];

/**
 * Sets WORKER_V8_FLAGS in this process, before any hot code is optimised. At run time rather than on the
 * command line: a V8 flag given there changes V8's flag hash, so Node rejects the code cache of its own
 * modules and every worker would start ~250 ms later.
 */
export function applyWorkerV8Flags(): void {
  for (const flag of WORKER_V8_FLAGS) setFlagsFromString(flag);
}
