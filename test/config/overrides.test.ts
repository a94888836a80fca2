import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/config/load.js';
import type { RunOverrides } from '../../src/config/overrides.js';
import type { JobSpec } from '../../src/config/types.js';
import { overridesOf, splitArgs } from '../../src/cli/override-options.js';
import { MarveloErrors, type MarveloError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tempBundleDir } from './helpers.js';
import { runCli } from '../helpers/cli.js';

const JOBS = resolve('test/fixtures/overrides/jobs.ts');
const bundleDir = tempBundleDir();

/** A network of a Show source (params and env of its own), a Take sink (none) and an echo executable. */
function networkText(defaults: string): string {
  return [
    'name: layers',
    defaults,
    'jobs:',
    `  - { name: show, uses: ${JOBS}#Show, params: { label: job, n: 1 }, env: { MODE: job }, resources: { memory: 128Mi }, outputs: [a] }`,
    `  - { name: take, uses: ${JOBS}#Take, inputs: [a] }`,
    '  - { name: echo, executable: echo, args: [from, file] }',
  ].join('\n');
}
const DEFAULTS = 'defaults: { env: { MODE: defaults, LEVEL: defaults }, params: { label: defaults, extra: 1 }, resources: { cpu: 100m, memory: 64Mi }, timeout: 40s, max_queue: 7 }';

async function load(text: string, overrides?: RunOverrides): Promise<Map<string, JobSpec> & { timeoutMs?: number; maxRetries: number }> {
  const file = join(tempDir(), 'net.yaml');
  writeFileSync(file, text);
  const { network } = await loadNetwork(file, { bundleDir, overrides });
  return Object.assign(new Map(network.jobs.map((j) => [j.name, j])), { timeoutMs: network.timeoutMs, maxRetries: network.maxRetries });
}

async function errorsOf(text: string, overrides: RunOverrides): Promise<MarveloError[]> {
  const file = join(tempDir(), 'net.yaml');
  writeFileSync(file, text);
  const e = await loadNetwork(file, { bundleDir, overrides }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(MarveloErrors);
  return (e as MarveloErrors).errors;
}

describe('per-run overrides and defaults: precedence', () => {
  it('each level beats the next: job override > global override > job > defaults > built-in', async () => {
    const builtIn = await load(networkText(''));
    const defaults = await load(networkText(DEFAULTS));
    const global = await load(networkText(DEFAULTS), { env: { MODE: 'global' } });
    const perJob = await load(networkText(DEFAULTS), { env: { MODE: 'global' }, set: { 'jobs.show.env.MODE': 'run', 'jobs.show.params.label': 'run' } });

    // built-in: nothing
    expect(builtIn.get('take')!.env).toEqual({});
    expect(builtIn.get('take')!.params).toEqual({});
    // defaults beat built-in (a job without its own value gets the defaults')
    expect(defaults.get('take')!.env).toEqual({ MODE: 'defaults', LEVEL: 'defaults' });
    expect(defaults.get('take')!.params).toEqual({ label: 'defaults', extra: 1 });
    expect(defaults.get('take')!.maxQueue).toBe(7);
    expect(defaults.get('take')!.timeoutMs).toBe(40_000);
    expect(builtIn.get('take')!.maxQueue).not.toBe(7);
    // the job beats defaults, merged key by key
    expect(defaults.get('show')!.env).toEqual({ MODE: 'job', LEVEL: 'defaults' });
    expect(defaults.get('show')!.params).toEqual({ label: 'job', n: 1, extra: 1 });
    expect(defaults.get('show')!.resources).toMatchObject({ cpu: '100m', memory: '128Mi' });
    // a global override beats the job
    expect(global.get('show')!.env).toEqual({ MODE: 'global', LEVEL: 'defaults' });
    expect(global.get('take')!.env).toEqual({ MODE: 'global', LEVEL: 'defaults' });
    // an override of one job beats the global one, for that job only
    expect(perJob.get('show')!.env).toEqual({ MODE: 'run', LEVEL: 'defaults' });
    expect(perJob.get('show')!.params).toEqual({ label: 'run', n: 1, extra: 1 });
    expect(perJob.get('take')!.env.MODE).toBe('global');
  });

  it('defaults go only where they apply: no params for executables, no timeout for them', async () => {
    const net = await load(networkText(DEFAULTS));
    const echo = net.get('echo')!;
    expect(echo.params).toEqual({});
    expect(echo.timeoutMs).toBeUndefined();
    expect(echo.env).toEqual({ MODE: 'defaults', LEVEL: 'defaults' });
    expect(echo.resources).toMatchObject({ cpu: '100m', memory: '64Mi' });
  });

  it('a resource override merges key by key with the job and the defaults', async () => {
    const net = await load(networkText(DEFAULTS), { set: { 'jobs.show.resources.cpu': 2 } });
    expect(net.get('show')!.resources).toMatchObject({ cpu: '2', cpuMillis: 2000, memory: '128Mi' });
  });

  it('--args replaces the args, --timeout and --max-retries the network\'s', async () => {
    const file = `${networkText('')}\ntimeout: 1h\nmax_retries: 3`;
    const before = await load(file);
    expect(before.get('echo')!.executable!.args).toEqual(['from', 'file']);
    const net = await load(file, { args: { echo: ['a', 'b c'] }, timeout: '30m', maxRetries: 1 });
    expect(net.get('echo')!.executable!.args).toEqual(['a', 'b c']);
    expect(net.timeoutMs).toBe(30 * 60_000);
    expect(net.maxRetries).toBe(1);
  });

  it('an anchor shared by two jobs is copied before one of them is overridden', async () => {
    const text = [
      'jobs:',
      `  - { name: show, uses: ${JOBS}#Show, params: &p { label: shared }, outputs: [a] }`,
      `  - { name: take, uses: ${JOBS}#Take, params: *p, inputs: [a] }`,
    ].join('\n');
    const net = await load(text, { set: { 'jobs.take.params.label': 'mine' } });
    expect(net.get('show')!.params).toEqual({ label: 'shared' });
    expect(net.get('take')!.params).toEqual({ label: 'mine' });
  });
});

describe('per-run overrides: values typed by the schema', () => {
  it('--set reads YAML: a number stays a number, a quoted one is a text, [1, 2] a list; env values are texts', async () => {
    const overrides = overridesOf({ set: ['jobs.show.params.n=5', "jobs.show.params.label='5'", 'jobs.show.params.list=[1, 2]', 'jobs.show.env.LEVEL=3'], env: ['MODE=7'] });
    expect(overrides).toEqual({ set: { 'jobs.show.params.n': 5, 'jobs.show.params.label': '5', 'jobs.show.params.list': [1, 2], 'jobs.show.env.LEVEL': '3' }, env: { MODE: '7' } });
    const show = (await load(networkText(''), overrides)).get('show')!;
    expect(show.params).toEqual({ n: 5, label: '5', list: [1, 2] });
    expect(show.env).toEqual({ MODE: '7', LEVEL: '3' });
  });

  it('--args is split as a shell would (without running one), or read as a YAML list', () => {
    expect(overridesOf({ args: [`echo=-n 3 'two words' "a \\"q\\"" back\\ slash`] })).toEqual({ args: { echo: ['-n', '3', 'two words', 'a "q"', 'back slash'] } });
    expect(overridesOf({ args: ['echo=[a, 2, "b c"]'] })).toEqual({ args: { echo: ['a', '2', 'b c'] } });
    expect(overridesOf({ args: ["echo=''"] })).toEqual({ args: { echo: [''] } });
    expect(splitArgs('a "b')).toBeUndefined();
    expect(overridesOf({ timeout: '30m', maxRetries: '1' })).toEqual({ timeout: '30m', maxRetries: 1 });
    expect(overridesOf({})).toBeUndefined();
  });

  it('bad option text is MRV_CLI_OPTION naming the option', () => {
    expect(() => overridesOf({ set: ['jobs.show.params.n'] })).toThrow(/--set jobs.show.params.n is not <key>=<value>/);
    expect(() => overridesOf({ env: ['=3'] })).toThrow(/--env =3 is not <key>=<value>/);
    expect(() => overridesOf({ args: ['echo=a "b'] })).toThrow(/a quote is not closed/);
    expect(() => overridesOf({ maxRetries: 'x' })).toThrow(/--max-retries x is not a whole number/);
  });
});

describe('per-run overrides: errors point at the option', () => {
  const expectOverrideError = (errors: MarveloError[], message: RegExp, hint?: RegExp) => {
    const e = errors.find((x) => message.test(x.message));
    expect(e, errors.map((x) => x.message).join('\n')).toBeDefined();
    expect(e!.code).toBe('MRV_CONFIG_OVERRIDE');
    expect(e!.where).toBeUndefined();
    if (hint) expect(e!.hint).toMatch(hint);
  };

  it('an unknown job, with did-you-mean', async () => {
    const errors = await errorsOf(networkText(''), { set: { 'jobs.shwo.params.n': 2 }, args: { ehco: ['x'] } });
    expectOverrideError(errors, /^--set jobs\.shwo\.params\.n=2: names no job 'shwo'$/, /did you mean 'show'\?/);
    expectOverrideError(errors, /^--args ehco=\["x"\]: names no job 'ehco'$/, /did you mean 'echo'\?/);
  });

  it('an unknown key, with did-you-mean', async () => {
    const errors = await errorsOf(networkText(''), { set: { 'jobs.take.parms.x': 1 } });
    expectOverrideError(errors, /^--set jobs\.take\.parms\.x=1: unknown key 'parms'/, /did you mean 'params'\?/);
    const top = await errorsOf(networkText(''), { set: { timout: 3 } });
    expectOverrideError(top, /^--set timout=3: unknown key 'timout'/, /did you mean 'timeout'\?/);
  });

  it('a value of the wrong type, by the same schema as the file', async () => {
    expectOverrideError(await errorsOf(networkText(''), { set: { 'jobs.take.max_queue': 'x' } }), /^--set jobs\.take\.max_queue=x: 'max_queue' must be an integer/);
    expectOverrideError(await errorsOf(networkText(''), { timeout: '3 days' }), /^--timeout 3 days: .*'timeout'/, /duration/);
    expectOverrideError(await errorsOf(networkText(''), { maxRetries: -1 }), /^--max-retries -1: 'max_retries' must be >= 0/);
    expectOverrideError(await errorsOf(networkText(''), { set: { 'jobs.echo.params.n': 1 } }), /^--set jobs\.echo\.params\.n=1: 'params' is not allowed/, /executable jobs take args/);
  });

  it('checks of later phases too: args on a script job, a resource that is no quantity', async () => {
    const errors = await errorsOf(networkText(''), { args: { take: ['x'] }, set: { 'jobs.show.resources.cpu': 'lots' } });
    expectOverrideError(errors, /^--args take=\["x"\]: 'args' applies only to executable jobs/);
    expectOverrideError(errors, /^--set jobs\.show\.resources\.cpu=lots: .*not a quantity/);
  });

  it('a key inside a value that is not a map, and a path that names a whole job', async () => {
    expectOverrideError(await errorsOf(networkText(''), { set: { 'jobs.echo.args.x': 1 } }), /cannot set a key inside args: it is a list/);
    expectOverrideError(await errorsOf(networkText(''), { set: { 'jobs.echo': 1 } }), /sets a whole job/);
  });

  it('an error in the file itself still points at its line', async () => {
    const errors = await errorsOf(`${networkText('')}\nmax_retries: x`, { env: { A: 'b' } });
    expect(errors[0]!.code).toBe('MRV_CONFIG_SCHEMA');
    expect(errors[0]!.where?.line).toBe(7);
  });
});

describe('override options of validate and plan', () => {
  const weigh = join(import.meta.dirname, '..', 'fixtures', 'replicas', 'weigh.yaml');

  it('marvelo plan --set shows the network as a run with the override would place it', async () => {
    const r = await runCli(['plan', weigh, '--set', 'jobs.weigh.replicas=2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).jobs.map((j: { job: string }) => j.job)).toEqual(['numbers', 'weights', 'weigh#split', 'weigh#0', 'weigh#1', 'weigh#merge', 'record']);
  });

  it('marvelo validate --set checks the file with the override, and names the option in an error', async () => {
    const r = await runCli(['validate', weigh, '--set', 'jobs.weigh.order=any']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: MRV_CONFIG_OVERRIDE --set jobs.weigh.order=any: job 'weigh' has order: any but no replicas");
    const bad = await runCli(['validate', weigh, '--max-retries', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: MRV_CLI_OPTION --max-retries x is not a whole number >= 0/);
  });
});
