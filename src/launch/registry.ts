import type { NodeSpec } from '../config/types.js';
import type { SshLauncherOptions } from './ssh/launcher.js';
import type { Launcher } from './types.js';

export type RemoteLauncherOptions = SshLauncherOptions;

/**
 * The launcher of a node of the network file. Every node is reached over SSH today; a container or
 * cluster-scheduler launcher would be chosen here, by a key of the node. Loaded on demand: a run on
 * this machine alone never loads ssh2.
 */
export async function launcherFor(node: NodeSpec, opts: RemoteLauncherOptions): Promise<Launcher> {
  const { SshLauncher } = await import('./ssh/launcher.js');
  return new SshLauncher(node, opts);
}
