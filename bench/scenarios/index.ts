import { bytes64k } from './bytes-64k.js';
import { failover } from './failover.js';
import { float32Frames } from './float32-frames.js';
import { joinDemo } from './join-demo.js';
import { latencyHop } from './latency-hop.js';
import { rss } from './rss.js';
import { smallChain } from './small-chain.js';
import { sshChain } from './ssh-chain.js';
import { replicaScaling } from './replica-scaling.js';
import { sshStartup } from './ssh-startup.js';
import { startup } from './startup.js';
import type { Scenario, ScenarioName } from './types.js';
import { uiOverhead } from './ui-overhead.js';

/** Every scenario, in the order the runner runs and prints them. */
export const SCENARIOS: readonly Scenario[] = [smallChain, bytes64k, float32Frames, joinDemo, latencyHop, rss, startup, sshStartup, sshChain, failover, uiOverhead, replicaScaling];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === (name as ScenarioName));
}
