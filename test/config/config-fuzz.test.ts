/**
 * Config fuzzing: seeded mutations of the repo's networks (networks/*.yaml). Each one either validates or
 * fails with coded errors that name a file, line and column, in under 5 s of CPU; none is an uncaught
 * error, none is echoed at length. In-process through the API `marvelo validate` uses, and a sample
 * through the real CLI (no stack trace printed).
 *
 * A failure names its seed; replay one with MARVELO_FUZZ_SEED=<seed> npx vitest run test/config/config-fuzz.test.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import { ERROR_CODES, formatError, isMarveloError, type MarveloError } from '../../src/errors.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { mutate } from './fuzz-mutations.js';
import { tempBundleDir } from './helpers.js';

const FIRST_SEED = 1;
const CASES = 1000;
const CLI_SAMPLE = 12;
const MAX_CPU_MS = 5000;
/** A formatted error (message and hint) longer than this echoes too much of the file. */
const MAX_SHOWN = 1500;

const bundleDir = tempBundleDir();

/** The repo's networks, their relative paths made absolute so a copy elsewhere finds the same modules. */
const NETWORKS = readdirSync(join(ROOT, 'networks'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'networks', name), 'utf8').replaceAll('../', join(ROOT, '/')) }));

const replay = process.env.MARVELO_FUZZ_SEED;
const SEEDS = replay !== undefined ? [Number(replay)] : Array.from({ length: CASES }, (_, i) => FIRST_SEED + i);

function caseOf(seed: number) {
  const network = NETWORKS[seed % NETWORKS.length]!;
  return { network: network.name, ...mutate(network.text, seed) };
}

/** What `marvelo validate` checks, in-process; an error that is not ours propagates. */
async function validate(file: string): Promise<MarveloError[]> {
  return (await validateNetwork(file, { bundleDir })).errors;
}

function problemsOf(errors: unknown[]): string[] {
  const problems: string[] = [];
  for (const e of errors) {
    if (!isMarveloError(e)) {
      problems.push(`not a MarveloError: ${String(e)}`);
      continue;
    }
    const shown = formatError(e);
    if (!(e.code in ERROR_CODES)) problems.push(`unknown code ${e.code}`);
    if (e.where === undefined) problems.push(`names no line: ${shown}`);
    else if (!(Number.isInteger(e.where.line) && e.where.line >= 1 && Number.isInteger(e.where.col) && e.where.col >= 1)) {
      problems.push(`bad position ${e.where.line}:${e.where.col}: ${shown.slice(0, 300)}`);
    }
    if (shown.length > MAX_SHOWN) problems.push(`${shown.length} characters shown: ${shown.slice(0, 300)}...`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(shown)) problems.push(`a control character shown: ${JSON.stringify(shown.slice(0, 300))}`);
  }
  return problems;
}

describe('config fuzzing', () => {
  it(`${SEEDS.length} mutations of networks/*.yaml validate or fail with coded errors naming a line`, { timeout: 600_000 }, async () => {
    expect(NETWORKS.length).toBeGreaterThan(0);
    const file = join(tempDir(), 'net.yaml');
    const failures: string[] = [];
    const outcomes = { ok: 0, failed: 0 };
    for (const seed of SEEDS) {
      const c = caseOf(seed);
      writeFileSync(file, c.bytes);
      const cpu = process.cpuUsage();
      let problems: string[];
      try {
        const errors = await validate(file);
        outcomes[errors.length === 0 ? 'ok' : 'failed']++;
        problems = problemsOf(errors);
      } catch (e) {
        problems = [`threw ${e instanceof Error ? e.stack : String(e)}`];
      }
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      if (ms > MAX_CPU_MS) problems.push(`took ${ms.toFixed(0)} ms of CPU`);
      for (const p of problems) failures.push(`seed ${seed} (${c.network}: ${c.steps.join('; ')}): ${p}`);
    }
    expect(failures.slice(0, 20), `${failures.length} failures`).toEqual([]);
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    if (replay === undefined) expect(Math.min(outcomes.ok, outcomes.failed)).toBeGreaterThan(CASES / 50);
  });

  it('through the CLI, a sample prints coded errors and no stack trace', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const sample = SEEDS.filter((_, i) => i % Math.ceil(SEEDS.length / CLI_SAMPLE) === 0);
    const failures: string[] = [];
    for (const seed of sample) {
      const c = caseOf(seed);
      const file = join(dir, `seed-${seed}.yaml`);
      writeFileSync(file, c.bytes);
      const r = await runCli(['validate', file]);
      const where = `seed ${seed} (${c.network}: ${c.steps.join('; ')})`;
      if (r.code !== 0 && r.code !== 1) failures.push(`${where}: exit ${r.code}`);
      if (/^\s+at /m.test(r.stderr) || r.stderr.includes('internal error')) failures.push(`${where}: ${r.stderr.slice(0, 500)}`);
      if (r.code === 1 && !/^error: \S+:\d+:\d+: MRV_[A-Z_]+ /m.test(r.stderr)) failures.push(`${where}: no coded error: ${r.stderr.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});
