import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import type { ScenarioResult } from '../scenarios/types.js';
import type { Machine } from '../machine.js';

/** The results file: the fixed shape, so runs can be compared over time. */
export interface ResultsFile {
  date: string;
  node: string;
  cpus: number;
  quick: boolean;
  scenarios: ScenarioResult[];
  /** Beyond the fixed shape: the CPU model, OS and load when the run started. */
  machine: Machine;
}

/** Writes bench/results/<ISO timestamp>.json (':' and '.' become '-', for every file system). */
export function writeResults(date: Date, machine: Machine, quick: boolean, scenarios: ScenarioResult[]): string {
  const file: ResultsFile = { date: date.toISOString(), node: machine.node, cpus: machine.cpus, quick, scenarios, machine };
  const dir = join(packageRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${date.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
  return path;
}
