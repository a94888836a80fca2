import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { shipmentsOf } from '../../src/launch/shipment.js';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import type { MarveloError } from '../../src/errors.js';
import { jobKindText } from '../../src/view/graph/labels.js';
import { expectError } from '../config/helpers.js';
import { hasPython, pyFixture, RUNTIME } from './helpers.js';

const bundleDir = mkdtempSync(join(tmpdir(), 'marvelo-python-config-'));
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

describe.skipIf(!hasPython)('python jobs - config', () => {
  it('makes a python job an executable job: python3 running the runtime, with the runtime and the package shipped', async () => {
    const { network, bundles } = await loadNetwork(pyFixture('demo_v1', 'network.yaml'), { bundleDir });
    const reduce = network.jobs.find((j) => j.name === 'reduce')!;
    expect(reduce.kind).toBe('executable');
    expect(reduce.head).toBe(true); // the stream carries heads; the runtime applies the class's HEAD
    expect(reduce.dependencies).toEqual([join(RUNTIME, 'fission'), join(RUNTIME, 'marvelo_python'), pyFixture('demo_v1')]);
    expect(bundles.has('reduce')).toBe(false);
    expect(reduce.python).toEqual({ file: pyFixture('demo_v1', 'jobs', 'jobs.py'), className: 'ReduceJob', code: reduce.dependencies });
    expect(jobKindText(reduce)).toBe('python ReduceJob'); // what the graph and the web view show
    const { command, args, pass } = reduce.executable!;
    expect([command, pass, ...args.slice(0, 5)]).toEqual(['python3', 'fd', '-B', '-u', '-m', 'marvelo_python', '--job']);
    expect(JSON.parse(args[5]!)).toEqual({
      name: 'reduce',
      module: 'demo_v1/jobs/jobs.py',
      class: 'ReduceJob',
      params: {},
      head: false,
      head_size: 1,
      inputs: [{ name: '105', codec: 'msgpack', block_count: 5, optional: false }],
      outputs: [{ name: '301', codec: 'msgpack' }],
    });
    // the class's GROUPS: CSVSinkJob is a LocalJob, so it runs on the client
    expect(network.jobs.find((j) => j.name === 'save')!.groups).toEqual(['LOCAL']);
  });

  it("reads the class's HEAD, takes params and optional pipes, and ships a module outside a package with its neighbours", async () => {
    const heads = await loadNetwork(pyFixture('heads', 'network.yaml'), { bundleDir });
    const description = (name: string, net = heads.network) => JSON.parse(net.jobs.find((j) => j.name === name)!.executable!.args[5]!);
    expect(description('source').head).toBe(true);
    expect(description('times-ten').head).toBe(false);
    expect(description('show').module).toBe('heads.py');
    expect(heads.network.jobs[0]!.dependencies.slice(2)).toEqual([pyFixture('heads', 'heads.py')]);
    const v4 = await loadNetwork(pyFixture('demo_v4', 'multiply.yaml'), { bundleDir });
    expect(description('operator', v4.network).params).toEqual({ operators: ['*'] });
    expect(description('join', v4.network).inputs[0]).toEqual({ name: '104', codec: 'msgpack', block_count: 1, optional: true });
  });

  it("ships the job's package and the runtime without hidden entries and caches (run records next to the network file stay home)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marvelo-python-ship-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(pyFixture('demo_v1'), join(dir, 'demo_v1'), { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('.marvelo') });
    mkdirSync(join(dir, 'demo_v1', '.marvelo', 'runs', 'r1'), { recursive: true });
    writeFileSync(join(dir, 'demo_v1', '.marvelo', 'runs', 'r1', 'run.json'), '{}');
    mkdirSync(join(dir, 'demo_v1', 'jobs', '__pycache__'));
    writeFileSync(join(dir, 'demo_v1', 'jobs', '__pycache__', 'jobs.cpython-311.pyc'), '');
    writeFileSync(join(dir, 'demo_v1', 'pipes', 'table.csv'), 'a,b\n'); // a data file of the package goes along
    const loaded = await loadNetwork(join(dir, 'demo_v1', 'network.yaml'), { bundleDir });
    const folder = shipmentsOf(loaded).find((s) => s.job === 'reduce')!.folder.map((e) => e.rel);
    const ours = folder.filter((rel) => rel.startsWith('demo_v1/')).sort();
    expect(ours).toEqual([
      'demo_v1/__init__.py', 'demo_v1/jobs/__init__.py', 'demo_v1/jobs/jobs.py', 'demo_v1/network.yaml',
      'demo_v1/pipes/__init__.py', 'demo_v1/pipes/pipes.py', 'demo_v1/pipes/table.csv', 'demo_v1/replicas.yaml',
    ]);
    expect(folder.filter((rel) => rel.includes('__pycache__'))).toEqual([]);
    expect(folder).toContain('marvelo_python/main.py');
    expect(folder).toContain('fission/core/jobs.py');
  });

  it('reports each mistake at its uses: line (or key), with what would be right', async () => {
    const result = await validateNetwork(pyFixture('errors', 'errors.yaml'), { bundleDir });
    expect(result.ok).toBe(false);
    const errors: MarveloError[] = result.errors;
    const rules = pyFixture('rules', 'rules.py');
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: 'python job ../rules/rules.py names no class', line: 3, hint: '#ClassName' });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: `python module ../rules/nope.py does not exist (looked for ${pyFixture('rules', 'nope.py')})`, line: 4 });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: `${rules} has no class Nope`, line: 5, hint: 'its PythonJob classes: Count, Crash, Pair, Print, StopAtTwo, WrongTuple' });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: `NotAJob in ${rules} is not a PythonJob subclass`, line: 6, job: 'not-a-job' });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: "Count(...) cannot take the job's arguments: got an unexpected keyword argument 'bogus'", line: 7, hint: 'keyword arguments (given: bogus)' });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: 'WrongTuple.run() takes 1 input value(s), and the job has 2 input(s)', line: 9 });
    expectError(errors, { code: 'MRV_CONFIG_PORTS', message: "output pipe 'd' uses float32, which a python job cannot carry", line: 10, job: 'floats', pipe: 'd', hint: 'msgpack (the original PicklePipe)' });
    expectError(errors, { code: 'MRV_CONFIG_SCHEMA', message: "'args' applies only to executable jobs", line: 12, hint: 'params:' });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: 'python job needs python3, and it was not found on PATH', line: 13 });
    expectError(errors, { code: 'MRV_CONFIG_MODULE', message: `importing ${pyFixture('errors', 'broken.py')} failed: No module named 'a_module_nobody_installed'`, line: 14 });
    expectError(errors, { code: 'MRV_CONFIG_PORTS', message: "input pipe 'd' uses float32", line: 11, job: 'float-sink' });
    expect(errors).toHaveLength(11);
  });
});
