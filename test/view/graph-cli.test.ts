import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/api/records/types.js';
import { fixture, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { parseSvg, textsOf } from './svg-dom.js';

const NO_STACK = /\n\s+at /;

describe('marvelo graph', () => {
  it('draws a network file as SVG on stdout, or into a file with -o in the format its extension names', async () => {
    const svg = await runCli(['graph', 'networks/demo.yaml']);
    expect(svg.code, svg.stderr).toBe(0);
    const parts = parseSvg(svg.stdout);
    expect([...parts.jobs.keys()]).toEqual(['count1', 'count2', 'count3', 'join', 'reduce', 'save']);
    expect([...parts.pipes.keys()].sort()).toEqual(['p101', 'p102', 'p103', 'p105', 'p106']);

    const out = join(tempDir(), 'demo.dot');
    const dot = await runCli(['graph', 'networks/demo.yaml', '-o', out]); // the format from the file's extension
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('  "join" -> "reduce" [label="p105 · msgpack · ×5"];\n');
  });

  it('a network with nodes is placed before it is drawn (--nodes replaces its nodes)', async () => {
    const r = await runCli(['graph', 'test/fixtures/view/small.yaml', '--format', 'mermaid']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  subgraph n0["pi"]\n    j0["src<br/><small>count.ts</small>"]\n  end\n');

    const cluster = join(tempDir(), 'cluster.yaml');
    writeFileSync(cluster, 'nodes:\n  - { name: far, host: 10.0.0.20, groups: [edge] }\n');
    const moved = await runCli(['graph', 'test/fixtures/view/small.yaml', '--format', 'mermaid', '--nodes', cluster]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('  subgraph n0["far"]\n    j0["src<br/><small>count.ts</small>"]\n    j1["fwd<br/><small>forward.ts</small>"]\n  end\n');
  });

  it('draws a finished run from its record, with the final counts on the arrows', async () => {
    const runs = tempDir();
    const env = { MARVELO_RUNS_DIR: runs };
    const run = await runCli(['run', fixture('drop-newest.yaml'), '-q'], { env });
    expect(run.code, run.stderr).toBe(0);
    const shown = await runCli(['runs', 'show', 'last', '--json'], { env });
    const record = JSON.parse(shown.stdout) as RunRecord;
    const a = record.summary!.pipes.find((p) => p.pipe === 'a')!;
    expect(a.dropped).toBeGreaterThan(0); // the fixture's slow sink makes its fast source drop

    const svg = await runCli(['graph', record.id.slice(0, 22)], { env });
    expect(svg.code, svg.stderr).toBe(0);
    const pipe = parseSvg(svg.stdout).pipes.get('a')!;
    expect(textsOf(pipe, 'tspan', 'pipe-title')).toEqual(['a · msgpack · ×1']);
    expect(textsOf(pipe, 'tspan', 'pipe-policy')).toEqual(['drop newest']);
    const dummies = a.dummies > 0 ? ` · ${a.dummies} dumm${a.dummies === 1 ? 'y' : 'ies'}` : '';
    expect(textsOf(pipe, 'tspan', 'pipe-counts')).toEqual([`${a.blocks} block${a.blocks === 1 ? '' : 's'} · ${a.dropped} dropped${dummies}`]);

    const dot = await runCli(['graph', 'last', '--format', 'dot'], { env });
    expect(dot.stdout).toContain(`"src" -> "sink" [label="a · msgpack · ×1\\ndrop newest\\n${a.blocks} blocks · ${a.dropped} dropped`);
  });

  it('bad input is a coded error with a hint, never a stack', async () => {
    const format = await runCli(['graph', 'networks/demo.yaml', '--format', 'png']);
    expect(format.code).toBe(1);
    expect(format.stdout).toBe('');
    expect(format.stderr).toBe("error: MRV_GRAPH_INPUT unknown format 'png'\n  hint: give --format svg (the default), dot or mermaid\n");

    const runs = tempDir();
    const unknown = await runCli(['graph', '1999'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: MRV_RUN_RECORD no run '1999' in .* \(it holds no runs\)\n {2}hint: /);
    expect(unknown.stderr).not.toMatch(NO_STACK);

    const failed = await runCli(['run', 'networks/bad.yaml', '-q'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(failed.code).toBe(1);
    const nothing = await runCli(['graph', 'last'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/^error: MRV_GRAPH_INPUT run \S+ ended before its network file loaded: there is no network to draw\n {2}hint: /);

    const nodes = await runCli(['graph', 'last', '--nodes', 'cluster.yaml'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(nodes.stderr).toMatch(/^error: MRV_GRAPH_INPUT --nodes applies to a network file, not to a run/);

    const missing = await runCli(['graph', 'nowhere.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: MRV_CONFIG_FILE /);
    expect(missing.stderr).not.toMatch(NO_STACK);
  });

  it('the README shows what `marvelo graph --format mermaid` really prints', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const session = readme.match(/```\n\$ npx marvelo graph (\S+) --format mermaid\n([\s\S]*?)```/);
    expect(session).not.toBeNull();
    const r = await runCli(['graph', session![1]!, '--format', 'mermaid']);
    expect(r.stdout).toBe(session![2]);
  });
});
