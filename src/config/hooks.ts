/** `hooks:` of the network file -> HooksSpec: argument vectors as strings, the time limit in ms. */
import type { MarveloError } from '../errors.js';
import type { RawHooks } from './raw.js';
import type { YamlSource } from './source.js';
import { resolveTimeout } from './timeouts.js';
import type { HookName, HooksSpec } from './types.js';

/** A hook still running after this long is stopped, unless `hooks: { timeout }` says otherwise. */
export const HOOK_TIMEOUT_MS = 5 * 60_000;

export const HOOK_NAMES: readonly HookName[] = ['on_success', 'on_failure', 'on_finish'];

/** Undefined when the file has no `hooks:`; a bad timeout adds a located error. */
export function resolveHooks(raw: RawHooks | undefined, src: YamlSource, errors: MarveloError[]): HooksSpec | undefined {
  if (raw === undefined) return undefined;
  const commands: HooksSpec['commands'] = {};
  for (const name of HOOK_NAMES) {
    const argv = raw[name];
    if (argv !== undefined) commands[name] = argv.map(String);
  }
  const timeoutMs = resolveTimeout(raw.timeout, 'the hooks', src.valueAt(['hooks', 'timeout']), errors);
  return { commands, timeoutMs: timeoutMs ?? HOOK_TIMEOUT_MS };
}
