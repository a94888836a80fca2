import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import { DEFAULTS, type JobSpec, type PipeSpec } from '../../src/config/types.js';
import { MarveloErrors } from '../../src/errors.js';
import { fixture, tempBundleDir, tempHome, useHome } from './helpers.js';

const bundleDir = tempBundleDir();
const DEMO = fixture('networks', 'demo.yaml');
const FULL = fixture('networks', 'full.yaml');
const at = (file: string, line: number, col: number) => ({ file, line, col });

describe('config - defaults', () => {
  it('pins DEFAULTS', () => {
    expect(DEFAULTS).toEqual({
      maxQueue: 1024,
      headSize: 1,
      blockCount: 1,
      drop: 'block',
      flushMs: 0,
      groups: ['ALL'],
      optional: { default: null, store: true, buffer: 1, drop: 'oldest' },
    });
  });
});

describe('config - loading a valid network', () => {
  it('resolves the demo network', async () => {
    const { network, bundles } = await loadNetwork(DEMO, { bundleDir });
    expect(network.name).toBe('demo');
    expect(network.file).toBe(DEMO);
    expect(network.dir).toBe(fixture('networks'));
    expect(network.nodes).toEqual([]);
    expect(network.jobs.map((j) => j.name)).toEqual(['count1', 'count2', 'count3', 'join', 'reduce', 'save']);
    expect(Object.keys(network.pipes)).toEqual(['p101', 'p102', 'p103', 'p105', 'p106']);
    expect([...bundles.keys()]).toEqual(network.jobs.map((j) => j.name));
    // The same module is bundled once.
    expect(bundles.get('count1')).toEqual(bundles.get('count3'));
  });

  it('resolves a job with every default', async () => {
    const { network } = await loadNetwork(DEMO, { bundleDir });
    const join: JobSpec = {
      name: 'join',
      kind: 'script',
      module: { file: fixture('jobs', 'product.ts'), exportName: 'Product' },
      builtin: undefined,
      executable: undefined,
      params: {},
      inputs: ['p101', 'p102', 'p103'],
      outputs: ['p105'],
      groups: ['ALL'],
      defaultNode: undefined,
      head: false,
      headSize: 1,
      maxQueue: 1024,
      dependencies: [],
      env: {},
      logging: false,
      resources: {},
      where: at(DEMO, 9, 5),
      onFailure: 'stop',
      maxRetries: 0,
      retryBackoffMs: 100,
      stateless: false,
      seekable: false,
    };
    expect(network.jobs[3]).toStrictEqual(join);
  });

  it('resolves pipes: listed ones with their options, unlisted ones msgpack, block_count 1, lossless', async () => {
    const { network } = await loadNetwork(DEMO, { bundleDir });
    const p105: PipeSpec = {
      name: 'p105',
      codec: { kind: 'msgpack' },
      blockCount: 5,
      optional: undefined,
      maxQueue: 1024,
      drop: 'block',
      dummy: 'prev',
      flushMs: 0,
      transport: undefined,
      headSize: 1,
      restartable: false,
      producer: 'join',
      consumer: 'reduce',
      where: at(DEMO, 16, 3),
    };
    expect(network.pipes['p105']).toStrictEqual(p105);
    expect(network.pipes['p101']).toStrictEqual({ ...p105, name: 'p101', blockCount: 1, producer: 'count1', consumer: 'join', where: at(DEMO, 6, 15) });
  });

  it('expands a job with replicas into its splitter, replicas and merger (the order: any fixture)', async () => {
    const { network } = await loadNetwork(fixture('networks', 'replicas.yaml'));
    expect(network.jobs.map((j) => j.name)).toEqual(['mic', 'tuned#split', 'tuned#0', 'tuned#1', 'tuned#merge', 'last']);
    expect(network.jobs.find((j) => j.name === 'tuned#merge')!.replica).toEqual({ of: 'tuned', index: -1, count: 2, order: 'any', shape: 'connector' });
    expect(Object.keys(network.pipes).sort()).toEqual(['ints', 'ints@tuned#0', 'ints@tuned#1', 'samples', 'samples@tuned#0', 'samples@tuned#1']);
  });

  it('deep-freezes the network', async () => {
    const { network } = await loadNetwork(DEMO, { bundleDir });
    expect(Object.isFrozen(network)).toBe(true);
    expect(Object.isFrozen(network.jobs[0]!.params)).toBe(true);
    expect(Object.isFrozen(network.pipes['p105']!.codec)).toBe(true);
    expect(() => (network.jobs as JobSpec[]).push(network.jobs[0]!)).toThrow(TypeError);
  });

  it('validateNetwork returns the network and no errors', async () => {
    const result = await validateNetwork(DEMO, { bundleDir });
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.network?.name).toBe('demo');
  });

  it('loadNetwork throws MarveloErrors holding every error', async () => {
    const failing = loadNetwork(fixture('networks', 'errors', 'pipe-ends.yaml'), { bundleDir });
    await expect(failing).rejects.toBeInstanceOf(MarveloErrors);
    const errors = await failing.catch((e: MarveloErrors) => e.errors);
    expect(errors).toHaveLength(5);
  });
});

describe('config - class statics and overrides', () => {
  it('applies class statics when the file says nothing', async () => {
    const { network } = await loadNetwork(FULL, { bundleDir });
    const tuned = network.jobs.find((j) => j.name === 'tuned')!;
    expect(tuned.groups).toEqual(['mics', 'ALL']);
    expect(tuned.defaultNode).toBe('pi-1');
    expect(tuned.maxQueue).toBe(16);
    expect(tuned.head).toBe(true);
    expect(tuned.headSize).toBe(2);
    // DEPENDENCIES are relative to the class's module.
    expect(tuned.dependencies).toEqual([fixture('jobs', 'data')]);
  });

  it('lets the network file override every class static', async () => {
    const { network } = await loadNetwork(FULL, { bundleDir });
    const job = network.jobs.find((j) => j.name === 'override')!;
    expect(job.groups).toEqual(['LOCAL']);
    // default_node may name a host; it resolves to that node's name.
    expect(job.defaultNode).toBe('10.0.0.3');
    expect(job.maxQueue).toBe(64);
    expect(job.head).toBe(false);
    expect(job.headSize).toBe(4);
    expect(job.dependencies).toEqual([fixture('bin')]);
    expect(job.env).toEqual({ LEVEL: '3' });
    expect(job.logging).toBe(true);
    expect(job.limits).toEqual({ memory: '1Gi', memoryBytes: 2 ** 30 });
    expect([job.resources, job.timeoutMs, job.onFailure, job.maxRetries, job.retryBackoffMs, job.replicas]).toEqual([
      { cpu: '2', cpuMillis: 2000, memory: '512Mi', memoryBytes: 512 * 2 ** 20 },
      30_000,
      'restart',
      2,
      1000,
      1,
    ]);
    expect([network.maxRetries, network.retryBackoffMs]).toEqual([1, 30_000]);
    expect(network.pipes['ints']!.restartable).toBe(true);
    expect(network.pipes['samples']!.restartable).toBe(false);
  });

  it('uses the network head_size when neither job nor class sets one', async () => {
    const { network } = await loadNetwork(FULL, { bundleDir });
    expect(network.jobs.find((j) => j.name === 'mic')!.headSize).toBe(2);
    expect(network.jobs.find((j) => j.name === 'mic')!.groups).toEqual(['mics']);
  });

  it('resolves executable jobs', async () => {
    const { network, bundles } = await loadNetwork(FULL, { bundleDir });
    const copy = network.jobs.find((j) => j.name === 'copy')!;
    expect(copy.kind).toBe('executable');
    expect(copy.module).toBeUndefined();
    expect(copy.executable).toEqual({ command: fixture('bin', 'copy.sh'), args: ['--fast', '3'], inputFlag: '-i', outputFlag: '-o', pass: 'fd' });
    expect(network.jobs.find((j) => j.name === 'tail')!.executable).toEqual({ command: 'cat', args: [], inputFlag: '--in', outputFlag: '--out', pass: 'path' });
    expect(bundles.has('copy')).toBe(false);
  });

  it('resolves every pipe option', async () => {
    const { network, codecBundles } = await loadNetwork(FULL, { bundleDir });
    const p = network.pipes;
    expect(p['samples']).toMatchObject({
      codec: { kind: 'typed', type: 'float32', length: 256 },
      blockCount: 4,
      drop: 'oldest',
      flushMs: 5,
      transport: 'tcp',
      dummy: 'zero',
      // The consumer's max_queue (class static MAX_QUEUE = 16) bounds an unset pipe queue.
      maxQueue: 16,
      headSize: 2,
    });
    expect(p['ints']).toMatchObject({ codec: { kind: 'bytes', blockSize: 1024 }, maxQueue: 8, dummy: 'prev' });
    // The producer's head size travels with the pipe.
    expect(p['raw']).toMatchObject({ codec: { kind: 'json' }, headSize: 4, optional: { default: 0, store: false, buffer: 4, drop: 'newest' } });
    expect(p['coded']!.codec).toEqual({ kind: 'custom', module: fixture('codecs', 'int-codec.ts'), exportName: 'IntCodec' });
    expect(p['coded']!.dummy).toBe('zero');
    expect(p['late']!.optional).toEqual(DEFAULTS.optional);
    expect(codecBundles.has('coded')).toBe(true);
  });

  it('resolves nodes: every key, and every default', async () => {
    useHome(tempHome());
    const { network } = await loadNetwork(FULL, { bundleDir });
    expect(network.nodes).toStrictEqual([
      {
        name: 'pi-1',
        host: '10.0.0.2',
        port: 22,
        user: 'pi',
        identity: fixture('keys', 'pi-1'),
        knownHosts: fixture('keys', 'known_hosts'),
        groups: ['ALL', 'mics'],
        capacity: { cpu: '4', cpuMillis: 4000, memory: '2Gi', memoryBytes: 2 * 2 ** 30 },
        root: '/srv/marvelo',
        nodeBinary: '/opt/node/bin/node',
        dataHost: '192.168.1.2',
        where: at(FULL, 55, 5),
      },
      {
        name: '10.0.0.3',
        host: '10.0.0.3',
        port: 2222,
        user: userInfo().username,
        identity: undefined,
        knownHosts: join(homedir(), '.ssh', 'known_hosts'),
        groups: ['ALL'],
        capacity: {},
        root: '~/.marvelo',
        nodeBinary: 'node',
        dataHost: '10.0.0.3',
        where: at(FULL, 56, 5),
      },
    ]);
  });
});

describe('config - inspect: false', () => {
  it('bundles modules without running them, and skips class statics', async () => {
    const { network, bundles } = await loadNetwork(FULL, { bundleDir, inspect: false });
    expect(existsSync(bundles.get('tuned')!.file)).toBe(true);
    const tuned = network.jobs.find((j) => j.name === 'tuned')!;
    expect(tuned.maxQueue).toBe(DEFAULTS.maxQueue);
  });

  it('does not import a module that throws at import', async () => {
    const result = await validateNetwork(fixture('networks', 'errors', 'module-fails.yaml'), { bundleDir, inspect: false });
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining('cannot bundle')]);
  });
});
