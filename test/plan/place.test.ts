import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/config/load.js';
import { MarveloError, MarveloErrors } from '../../src/errors.js';
import { planToJson } from '../../src/plan/json.js';
import { LOCAL_NODE, place, type PlanOptions } from '../../src/plan/place.js';
import type { Plan } from '../../src/plan/types.js';
import { eligibleNodes, relocate } from '../../src/plan/relocate.js';
import { fixture, tempBundleDir } from '../config/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const bundleDir = tempBundleDir();
const COUNT = fixture('jobs', 'count.ts');
const SUM = fixture('jobs', 'sum.ts');
const SINK = fixture('jobs', 'sink.ts');

/** A chain a -> b -> c (pipes p1, p2) with the given job keys, and the given `nodes:` lines. */
function chain(keys: { a?: string; b?: string; c?: string }, nodes: string, pipes = ''): string {
  const more = (k?: string) => (k ? `, ${k}` : '');
  return `jobs:
  - { name: a, uses: ${COUNT}, outputs: [p1]${more(keys.a)} }
  - { name: b, uses: ${SUM}, inputs: [p1], outputs: [p2]${more(keys.b)} }
  - { name: c, uses: ${SINK}, inputs: [p2]${more(keys.c)} }
${pipes}${nodes}`;
}

async function loaded(yaml: string) {
  const file = join(tempDir(), 'net.yaml');
  writeFileSync(file, yaml);
  return (await loadNetwork(file, { bundleDir, inspect: false })).network;
}

async function planOf(yaml: string, opts?: PlanOptions): Promise<Plan> {
  return place(await loaded(yaml), opts);
}

async function refusal(yaml: string, opts?: PlanOptions): Promise<MarveloError> {
  const network = await loaded(yaml);
  try {
    place(network, opts);
  } catch (e) {
    if (e instanceof MarveloError) return e;
    throw e;
  }
  throw new Error('placed a network that should be refused');
}

const placements = (plan: Plan) => plan.jobs.map((j) => [j.job, j.node, j.why]);

describe('placement - where jobs go', () => {
  it('puts every job on the client when there are no nodes; pipes there are Unix sockets', async () => {
    const plan = await planOf(chain({}, ''));
    expect(placements(plan)).toEqual([
      ['a', LOCAL_NODE, 'no nodes: this machine'],
      ['b', LOCAL_NODE, 'no nodes: this machine'],
      ['c', LOCAL_NODE, 'no nodes: this machine'],
    ]);
    expect(plan.nodes).toEqual([]);
    expect([...plan.transportOf]).toEqual([['p1', 'unix'], ['p2', 'unix']]);
  });

  it('spreads jobs: the node of the group with the fewest jobs, ties to the first listed', async () => {
    const plan = await planOf(chain({}, 'nodes:\n  - { name: n1, host: h1 }\n  - { name: n2, host: h2 }\n'));
    expect(placements(plan)).toEqual([
      ['a', 'n1', 'group ALL: fewest jobs (0)'],
      ['b', 'n2', 'group ALL: fewest jobs (0)'],
      ['c', 'n1', 'group ALL: fewest jobs (1)'],
    ]);
    expect(plan.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    expect(Object.fromEntries(plan.nodeOf)).toEqual({ a: 'n1', b: 'n2', c: 'n1' });
  });

  it('tries DEFAULT_NODE first, named by name or host', async () => {
    const plan = await planOf(chain({ a: 'default_node: h2', b: 'default_node: n2' }, 'nodes:\n  - { name: n1, host: h1 }\n  - { name: n2, host: h2 }\n'));
    expect(placements(plan)).toEqual([
      ['a', 'n2', 'DEFAULT_NODE n2'],
      ['b', 'n2', 'DEFAULT_NODE n2'],
      ['c', 'n1', 'group ALL: fewest jobs (0)'],
    ]);
  });

  it('takes groups in priority order; LOCAL is the client', async () => {
    const nodes = 'nodes:\n  - { name: n1, host: h1 }\n  - { name: mic, host: h2, groups: [mics] }\n';
    const plan = await planOf(chain({ a: 'groups: [mics, ALL]', b: 'groups: [mics, ALL]', c: 'groups: [LOCAL]' }, nodes));
    expect(placements(plan)).toEqual([
      ['a', 'mic', 'group mics: its only node'],
      ['b', 'mic', 'group mics: its only node'],
      ['c', LOCAL_NODE, 'group LOCAL: the client'],
    ]);
    expect(plan.nodes.map((n) => n.name)).toEqual(['mic']);
  });
});

describe('placement - resources against capacity', () => {
  it('books each job\'s requests and skips nodes without room; a node without capacity takes anything', async () => {
    const nodes = 'nodes:\n  - { name: small, host: h1, capacity: { cpu: 1, memory: 1Gi } }\n  - { name: big, host: h2, capacity: { cpu: "2" } }\n';
    const plan = await planOf(
      chain({ a: 'resources: { cpu: 1, memory: 512Mi }', b: 'resources: { cpu: 1500m }', c: 'resources: { cpu: 500m, memory: 1Gi }' }, nodes),
    );
    // a: small and big tie on 0 jobs -> small (cpu 0 left); b: only big has 1500m; c: small has no cpu left, big has 500m.
    expect(placements(plan)).toEqual([
      ['a', 'small', 'group ALL: fewest jobs (0)'],
      ['b', 'big', 'group ALL: fewest jobs (0)'],
      ['c', 'big', 'group ALL: fewest jobs (1)'],
    ]);
    const free = `${nodes}  - { name: free, host: h3, groups: [x] }\n`;
    const huge = await planOf(chain({ a: 'resources: { cpu: 64, memory: 1Ti }' }, free));
    expect(huge.jobs[0]).toEqual({ job: 'a', node: 'free', why: 'group ALL: fewest jobs (0)' });
  });

  it('falls back from a full DEFAULT_NODE, and from a full group to the next, saying why', async () => {
    const nodes = 'nodes:\n  - { name: n1, host: h1, capacity: { cpu: 1 } }\n  - { name: gpu, host: h2, groups: [gpus], capacity: { cpu: 1 } }\n';
    const plan = await planOf(
      chain({ a: 'resources: { cpu: 1 }, groups: [gpus]', b: 'resources: { cpu: 1 }, default_node: gpu, groups: [gpus, ALL]', c: 'groups: [gpus]' }, nodes),
    );
    expect(placements(plan)).toEqual([
      ['a', 'gpu', 'group gpus: its only node'],
      ['b', 'n1', 'DEFAULT_NODE gpu has too little left (cpu 0 left); group gpus: no node has room; group ALL: fewest jobs (0)'],
      ['c', 'gpu', 'group gpus: its only node'],
    ]);
  });

  it('refuses a network that cannot be placed, naming the job, what it asks and what each eligible node has left', async () => {
    const nodes = 'nodes:\n  - { name: n1, host: h1, capacity: { cpu: 2, memory: 1Gi } }\n  - { name: n2, host: h2, capacity: { cpu: 1 } }\n';
    const e = await refusal(chain({ a: 'resources: { cpu: 1500m, memory: 512Mi }', b: 'resources: { cpu: 1 }', c: 'resources: { cpu: 1, memory: 256Mi }' }, nodes));
    expect(e.code).toBe('MRV_PLAN_PLACEMENT');
    expect(e.job).toBe('c');
    expect(e.message).toBe("job 'c' asks cpu 1, memory 256Mi, but no node of its groups (ALL) has that left: n1 has cpu 500m, memory 512Mi left; n2 has cpu 0 left");
    expect(e.where).toMatchObject({ line: 4, col: 5 });
    expect(e.hint).toContain('capacity');
  });
});

describe('placement - pipe transports', () => {
  const twoNodes = 'nodes:\n  - { name: n1, host: h1 }\n  - { name: n2, host: h2 }\n';

  it('is unix within a node and tcp across nodes (the client is a node of its own)', async () => {
    const plan = await planOf(chain({ a: 'default_node: n1', b: 'default_node: n1', c: 'groups: [LOCAL]' }, twoNodes));
    expect(plan.pipes).toEqual([
      { pipe: 'p1', producer: 'a', consumer: 'b', transport: 'unix' },
      { pipe: 'p2', producer: 'b', consumer: 'c', transport: 'tcp' },
    ]);
    expect(Object.fromEntries(plan.transportOf)).toEqual({ p1: 'unix', p2: 'tcp' });
  });

  it('honours a pipe\'s transport:, and the run\'s option over every pipe', async () => {
    const yaml = chain({ a: 'default_node: n1', b: 'default_node: n1', c: 'default_node: n1' }, twoNodes, 'pipes:\n  p1: { transport: tcp }\n  p2: { transport: unix }\n');
    expect(Object.fromEntries((await planOf(yaml)).transportOf)).toEqual({ p1: 'tcp', p2: 'unix' });
    expect(Object.fromEntries((await planOf(yaml, { transport: 'tcp' })).transportOf)).toEqual({ p1: 'tcp', p2: 'tcp' });
  });

  it('refuses transport: unix across nodes, naming the pipe where it is written', async () => {
    const e = await refusal(chain({ a: 'default_node: n1', b: 'default_node: n2' }, twoNodes, 'pipes:\n  p1: { transport: unix }\n'));
    expect(e).toMatchObject({ code: 'MRV_PLAN_TRANSPORT', pipe: 'p1', where: { line: 6, col: 3 } });
    expect(e.message).toBe("pipe 'p1' has transport: unix, but its producer 'a' runs on n1 and its consumer 'b' on n2");
  });

  it('refuses a run forced to unix when pipes cross nodes, naming every such pipe', async () => {
    const network = await loaded(chain({ a: 'default_node: n1', b: 'default_node: n2', c: 'default_node: n1' }, twoNodes));
    let caught: unknown;
    try {
      place(network, { transport: 'unix' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MarveloErrors);
    const errors = (caught as MarveloErrors).errors;
    expect(errors.map((e) => [e.code, e.pipe])).toEqual([['MRV_PLAN_TRANSPORT', 'p1'], ['MRV_PLAN_TRANSPORT', 'p2']]);
    expect(errors[0]!.message).toContain('the run forces transport unix');
  });
});

describe('the plan as JSON', () => {
  it('shows its maps as objects', async () => {
    const plan = await planOf(chain({}, 'nodes:\n  - { name: n1, host: h1 }\n'));
    const json = JSON.parse(JSON.stringify(planToJson(plan))) as Record<string, unknown>;
    expect(json['nodeOf']).toEqual({ a: 'n1', b: 'n1', c: 'n1' });
    expect(json['transportOf']).toEqual({ p1: 'unix', p2: 'unix' });
    expect(json['jobs']).toEqual(plan.jobs);
    expect((json['nodes'] as { name: string }[]).map((n) => n.name)).toEqual(['n1']);
  });
});

describe('relocation - where a restarted job goes', () => {
  const nodes = 'nodes:\n  - { name: n1, host: h1 }\n  - { name: n2, host: h2 }\n  - { name: n3, host: h3, groups: [mics] }\n';

  it('stays on its node while that is usable', async () => {
    const network = await loaded(chain({ b: 'default_node: n2, on_failure: restart' }, nodes));
    const plan = place(network);
    const moved = relocate(network, plan.nodeOf, network.jobs[1]!, new Set(['n1', 'n2', 'n3']), undefined);
    expect([moved.node, moved.why]).toEqual(['n2', 'its node n2 is alive']);
  });

  it('moves by the placement rules among the usable nodes, booking the others where they run; pipes follow', async () => {
    const network = await loaded(chain({ a: 'default_node: n1', b: 'default_node: n2, on_failure: restart', c: 'default_node: n1' }, nodes));
    const plan = place(network);
    expect(plan.transportOf.get('p1')).toBe('tcp');
    const moved = relocate(network, plan.nodeOf, network.jobs[1]!, new Set(['n1', 'n3']), undefined);
    expect([moved.node, moved.why]).toEqual(['n3', 'n2 was lost; group ALL: fewest jobs (0)']);
    const home = relocate(network, plan.nodeOf, network.jobs[1]!, new Set(['n1']), undefined);
    expect(home.node).toBe('n1');
    expect(home.transportOf.get('p1')).toBe('unix');
  });

  it('refuses when no usable node is in its groups: MRV_PLAN_PLACEMENT', async () => {
    const network = await loaded(chain({ b: 'groups: [mics], on_failure: restart' }, nodes));
    const plan = place(network);
    expect(plan.nodeOf.get('b')).toBe('n3');
    expect(() => relocate(network, plan.nodeOf, network.jobs[1]!, new Set(['n1', 'n2']), undefined)).toThrow(/no node is in any of its groups \(mics\)/);
    expect(eligibleNodes(network.jobs[1]!, network.nodes)).toEqual(['n3']);
  });
});
