import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios/index.js';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios/types.js';

/** "3, small-chain 7, ...": the repeats of a full run without --repeats. */
export const DEFAULT_REPEATS_TEXT = ['3', ...SCENARIOS.filter((s) => s.defaultRepeats !== undefined).map((s) => `${s.name} ${s.defaultRepeats}`)].join(', ');

export const USAGE = `usage: npm run bench -- [--quick] [--only <name,...>] [--repeats <n>]
       npm run bench -- --profile <name> [--quick]
  --quick       short runs, 1 repeat (a smoke test: CI may run it; nothing is asserted)
  --only        run only these scenarios: ${SCENARIO_NAMES.join(', ')}
  --repeats     measured repeats per scenario (default ${DEFAULT_REPEATS_TEXT}; quick 1)
  --profile     CPU-profile every worker and ceiling process of one flat-out scenario
                (small-chain, bytes-64k, float32-frames, join-demo) and print the top functions
  --scenario    (internal) run one scenario in this process and print its result`;

/** The flat-out scenarios: the ones `--profile` can run (they keep a throughput spec). */
export const PROFILABLE: readonly ScenarioName[] = ['small-chain', 'bytes-64k', 'float32-frames', 'join-demo'];

export interface BenchArgs {
  quick: boolean;
  only: ScenarioName[];
  /** Measured repeats per scenario; undefined: each scenario's default (1 in quick mode). */
  repeats: number | undefined;
  /** Set in the child process that runs one scenario. */
  scenario: ScenarioName | undefined;
  profile: ScenarioName | undefined;
  help: boolean;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      repeats: { type: 'string' },
      scenario: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const only = values.only === undefined ? [...SCENARIO_NAMES] : values.only.split(',').map((n) => scenarioName(n.trim()));
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  if (repeats !== undefined && (!Number.isInteger(repeats) || repeats < 1)) throw new Error(`--repeats must be a whole number >= 1 (got ${values.repeats})`);
  return {
    quick,
    only,
    repeats,
    scenario: values.scenario === undefined ? undefined : scenarioName(values.scenario),
    profile: values.profile === undefined ? undefined : profilable(scenarioName(values.profile)),
    help: values.help ?? false,
  };
}

function scenarioName(name: string): ScenarioName {
  if ((SCENARIO_NAMES as readonly string[]).includes(name)) return name as ScenarioName;
  throw new Error(`unknown scenario '${name}': choose from ${SCENARIO_NAMES.join(', ')}`);
}

function profilable(name: ScenarioName): ScenarioName {
  if (PROFILABLE.includes(name)) return name;
  throw new Error(`--profile works with ${PROFILABLE.join(', ')}, not '${name}'`);
}
