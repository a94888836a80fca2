/**
 * Networks spread over the test-bed's real OpenSSH nodes (scripts/testbed.sh): exact results, where each
 * job ran, shipping, host keys, a node that is down, a node with 30 jobs, and nothing left behind (the faults: faults.test.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture, jobLines, ROOT, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { spreadOverNodes } from '../helpers/spread.js';
import { announceTestbedSkip, processesOfRun, runFolders, testbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EXPECTED_DEMO_CSV } from '../helpers/demo-sums.js';
import { jobsStuckOnNodes } from '../helpers/stuck-on-nodes.js';

announceTestbedSkip();
const bed = testbed();

const JOBS = join(ROOT, 'jobs');
const SSH_JOBS = join(ROOT, 'test', 'fixtures', 'ssh', 'jobs.ts');
const REPLICA_JOBS = join(ROOT, 'test', 'fixtures', 'replicas', 'jobs.ts');


/** A network file in a fresh folder, its nodes from the test-bed's cluster file. */
function network(jobs: string[], pipes = '', nodes = bed!.clusterFile): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'net.yaml');
  writeFileSync(file, `name: net\njobs:\n${jobs.map((j) => `  - ${j}`).join('\n')}\n${pipes ? `pipes:\n${pipes}\n` : ''}nodes: ${nodes}\n`);
  return { dir, file };
}

/** The demo network's jobs on the given nodes (its csv sink writes on the client). */
function demoJobs([c1, c2, c3, joinOn, reduceOn]: string[]): string[] {
  return [
    `{ name: count1, uses: ${JOBS}/count.ts, params: { start: 1, step: 1, limit: 50 }, outputs: [p101], default_node: ${c1} }`,
    `{ name: count2, uses: ${JOBS}/count.ts, params: { start: 1, step: 2, limit: 50 }, outputs: [p102], default_node: ${c2} }`,
    `{ name: count3, uses: ${JOBS}/count.ts, params: { start: 1, step: 3, limit: 50 }, outputs: [p103], default_node: ${c3} }`,
    `{ name: join, uses: ${JOBS}/product.ts, inputs: [p101, p102, p103], outputs: [p105], default_node: ${joinOn} }`,
    `{ name: reduce, uses: ${JOBS}/sum.ts, inputs: [p105], outputs: [p106], default_node: ${reduceOn} }`,
    `{ name: save, uses: 'builtin:csv-sink', params: { path: sums.csv }, inputs: [p106] }`,
  ];
}
const DEMO_PIPES = '  p105: { codec: msgpack, block_count: 5 }';

/** The run id `--verbose` prints. */
function runIdOf(r: Pick<CliResult, 'stderr'>): string {
  const m = /\[marvelo\] run ([0-9a-f-]+):/.exec(r.stderr);
  if (!m) throw new Error(`no run id in:\n${r.stderr}`);
  return m[1]!;
}

/** Nothing of the run is left on any node: no process, no run folder. */
function expectNothingLeft(runId: string): void {
  expect(processesOfRun(runId)).toEqual([]);
  for (const n of bed!.nodes) expect(runFolders(n.root).filter((f) => f.includes(runId))).toEqual([]);
}

/** What the nodes do after the client is gone happens on their own time: wait for it (vitest polls). */
function eventually(cond: () => boolean, timeout: number): Promise<void> {
  return expect.poll(cond, { timeout, interval: 50 }).toBe(true);
}

describe.skipIf(!bed)('distribution over SSH (the test-bed)', () => {
  it('runs the demo over 3 nodes with exact results, each job where the plan put it, and leaves nothing', async () => {
    const { dir, file } = network(
      [
        ...demoJobs(['n1', 'n2', 'n3', 'n1', 'n2']),
        `{ name: where1, uses: ${SSH_JOBS}#Where, outputs: [w1], default_node: n1 }`,
        `{ name: show1, uses: ${JOBS}/print.ts, inputs: [w1], default_node: n3 }`,
      ],
      DEMO_PIPES,
    );
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_DEMO_CSV);
    // the job's output is relayed as job@node; what it printed is the name of the machine it ran on
    expect(r.stdout).toMatch(/^where1@n1 +\| n1$/m);
    expect(r.stdout).toMatch(/^show1@n3 +\| n1$/m);
    // the run's record keeps what remote jobs printed, and where each ran
    const record = /recorded in (\S+)/.exec(r.stderr)![1]!;
    expect(readFileSync(join(isAbsolute(record) ? record : join(dir, record), 'logs', 'show1.log'), 'utf8')).toMatch(/^n1$/m);
    const runJson = JSON.parse(readFileSync(join(isAbsolute(record) ? record : join(dir, record), 'run.json'), 'utf8'));
    expect(runJson.jobs.find((j: { job: string }) => j.job === 'where1')).toMatchObject({ node: 'n1', state: 'succeeded' });
    expect(r.stdout).toMatch(/count2 on n2 pid \d+ listening tcp 10\.77\.0\.12:\d+/);
    // a pipe within a node is a Unix socket in the run's folder there; between nodes, TCP to the node's address
    expect(r.stdout).toMatch(new RegExp(`count1 on n1 pid \\d+ listening unix ${bed!.nodes[0]!.root}/runs/[^/]+\\.n1/count1\\.sock`));
    expectNothingLeft(runIdOf(r));
  });

  it('spreads the replicas of a connector over the nodes and merges their results back exactly', async () => {
    const { dir, file } = network([
      `{ name: source, uses: ${REPLICA_JOBS}#Numbers, params: { limit: 20000 }, outputs: [x1, x2], groups: [LOCAL] }`,
      `{ name: double, uses: ${REPLICA_JOBS}#Double, inputs: [x1], outputs: [d], replicas: 3 }`,
      `{ name: join, uses: ${REPLICA_JOBS}#Pair, inputs: [d, x2], outputs: [y], groups: [LOCAL] }`,
      `{ name: sink, uses: ${REPLICA_JOBS}#Check, inputs: [y], groups: [LOCAL] }`,
    ]);
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(jobLines(r.stdout, 'sink')).toEqual(['count 20000 wrong 0 dummies 0']);
    const record = /recorded in (\S+)/.exec(r.stderr)![1]!;
    const runJson = JSON.parse(readFileSync(join(isAbsolute(record) ? record : join(dir, record), 'run.json'), 'utf8'));
    const nodeOf = (job: string) => runJson.jobs.find((j: { job: string }) => j.job === job).node;
    expect(new Set(['double#0', 'double#1', 'double#2'].map(nodeOf)).size).toBe(3);
    expectNothingLeft(runIdOf(r));
  });

  it('ships a file once per node: the second run of the same network uploads nothing', async () => {
    const { dir, file } = network(demoJobs(['n1', 'n2', 'n3', 'n3', 'n2']), DEMO_PIPES);
    const first = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    for (const n of ['n1', 'n2', 'n3']) expect(second.stderr).toMatch(new RegExp(`\\[marvelo\\] ${n}: uploaded nothing \\(\\d+ files cached\\)`));
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_DEMO_CSV);
  });

  it('runs executables and jobs with DEPENDENCIES on remote nodes as it does locally', async () => {
    const exec = join(JOBS, 'exec');
    const jobs = (onNodes: boolean) => [
      `{ name: ramp, uses: ${JOBS}/frames.ts#Ramp, params: { frames: 5, length: 4 }, outputs: [raw]${onNodes ? ', default_node: n1' : ''} }`,
      `{ name: smooth, executable: ${exec}/bin/movavg, args: [--length, 4, --window, 2], inputs: [raw], outputs: [smoothed]${onNodes ? ', default_node: n2' : ''} }`,
      `{ name: stats, uses: ${JOBS}/frames.ts#FrameStats, inputs: [smoothed], outputs: [stats]${onNodes ? ', default_node: n3' : ''} }`,
      `{ name: label, uses: ${exec}/jsonmap.ts, args: [--set, 'unit="mV"'], pass: fd, inputs: [stats], outputs: [labelled]${onNodes ? ', default_node: n1' : ''} }`,
      `{ name: show, uses: ${JOBS}/print.ts, inputs: [labelled], groups: [LOCAL] }`,
      `{ name: words, uses: ${SSH_JOBS}#Words, dependencies: [${join(ROOT, 'test', 'fixtures', 'ssh', 'data')}], outputs: [w]${onNodes ? ', default_node: n2' : ''} }`,
      `{ name: say, uses: ${JOBS}/print.ts, inputs: [w], groups: [LOCAL] }`,
    ];
    const pipes = ['  raw: { codec: float32, length: 4 }', '  smoothed: { codec: float32, length: 4 }', '  stats: { codec: json }', '  labelled: { codec: json }'].join('\n');
    const remote = network(jobs(true), pipes);
    const r = await runCli(['run', remote.file, '--verbose'], { cwd: remote.dir });
    expect(r.code, r.stderr).toBe(0);
    // the local run of the same jobs: its files run in place
    const localDir = tempDir();
    writeFileSync(join(localDir, 'net.yaml'), `name: net\njobs:\n${jobs(false).map((j) => `  - ${j}`).join('\n')}\npipes:\n${pipes}\n`);
    // a dependency appears in the job's folder, which is its working folder only on a node: run locally from there
    const local = await runCli(['run', join(localDir, 'net.yaml')], { cwd: join(ROOT, 'test', 'fixtures', 'ssh') });
    expect(local.code, local.stderr).toBe(0);
    const lines = (out: string, job: string) => out.split('\n').filter((l) => l.startsWith(`${job} `)).map((l) => l.slice(l.indexOf('|')));
    expect(lines(r.stdout, 'show')).toHaveLength(5);
    expect(lines(r.stdout, 'show')).toEqual(lines(local.stdout, 'show'));
    expect(lines(r.stdout, 'say')).toEqual(['| alpha', '| beta', '| gamma']);
    expectNothingLeft(runIdOf(r));
  });

  it('runs 30 jobs on one node (more than one SSH connection carries: sshd allows 10 sessions each)', async () => {
    const jobs = [`{ name: src, uses: ${JOBS}/count.ts, params: { limit: 200 }, outputs: [p0], default_node: n1 }`];
    for (let i = 1; i < 29; i++) jobs.push(`{ name: f${i}, uses: ${JOBS}/forward.ts, inputs: [p${i - 1}], outputs: [p${i}], default_node: n1 }`);
    jobs.push(`{ name: sink, uses: ${SSH_JOBS}#Sum, inputs: [p28], default_node: n1 }`);
    const { dir, file } = network(jobs);
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sink@n1 +\| sum 20100$/m);
    expect(r.stdout.match(/ on n1 pid \d+/g)).toHaveLength(30);
    expectNothingLeft(runIdOf(r));
  });

  // a client killed with SIGKILL: test/ssh/faults.test.ts
  it('leaves no process and no run folder on any node when the client gets Ctrl-C, even with jobs stuck in a loop', async () => {
    const { dir, file } = network(jobsStuckOnNodes());
    const run = startCli(['run', file, '--verbose'], { cwd: dir });
    const [, runId] = (await run.waitFor(/\[marvelo\] run ([0-9a-f-]+):/, 'stderr'))!;
    // both jobs are stuck in their loops now: neither can see its control channel close
    const [, src] = (await run.waitFor(/src on n1 pid (\d+)/, 'stdout'))!;
    const [, sink] = (await run.waitFor(/sink on n2 pid (\d+)/, 'stdout'))!;
    await run.waitFor(/^src@n1 +\| spinning$/m);
    expect(processesOfRun(runId!)).toEqual(expect.arrayContaining([Number(src), Number(sink)]));
    run.proc.kill('SIGINT');
    const r = await run.done;
    // a stuck job cannot answer `stop`: the client kills it, and waits for every node's keeper to clean up
    expect(r.code).toBe(130);
    expectNothingLeft(runId!);
  });

  /** A cluster file of the test-bed's nodes with its own known_hosts and node keys (YAML lines per node). */
  function cluster(knownHosts: string, extra: Record<string, string> = {}, nodes = bed!.nodes): string {
    const dir = tempDir();
    const file = join(dir, 'cluster.yaml');
    const lines = nodes.map(
      (n) => `  - { name: ${n.name}, host: ${n.host}, user: ${bed!.user}, identity: ${bed!.identity}, known_hosts: ${knownHosts}, root: ${n.root}${extra[n.name] ?? ''} }`,
    );
    writeFileSync(file, `nodes:\n${lines.join('\n')}\n`);
    return file;
  }

  it('refuses a node whose host key is unknown, showing its fingerprint; --accept-new-hosts records it; a changed key is refused', async () => {
    const known = join(tempDir(), 'known_hosts');
    writeFileSync(known, '');
    const jobs = [`{ name: src, uses: ${JOBS}/count.ts, params: { limit: 3 }, outputs: [a], default_node: n2 }`, `{ name: sink, uses: ${JOBS}/print.ts, inputs: [a] }`];
    const { dir, file } = network(jobs, '', cluster(known, {}, [bed!.nodes[1]!]));
    const unknown = await runCli(['run', file], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/MRV_SSH_HOSTKEY .*n2.*not known/);
    expect(unknown.stderr).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(known, 'utf8')).toBe('');

    const accepted = await runCli(['run', file, '--accept-new-hosts'], { cwd: dir });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^sink@n2 +\| 3$/m);
    const n2Key = readFileSync(bed!.knownHosts, 'utf8').split('\n').find((l) => l.startsWith(`${bed!.nodes[1]!.host} `))!;
    expect(readFileSync(known, 'utf8').trim()).toBe(n2Key.trim());

    // the same host with another key (n1's): a changed key is refused even with --accept-new-hosts
    const n1Key = readFileSync(bed!.knownHosts, 'utf8').split('\n').find((l) => l.startsWith(`${bed!.nodes[0]!.host} `))!;
    writeFileSync(known, `${bed!.nodes[1]!.host} ${n1Key.split(' ').slice(1).join(' ')}\n`);
    const changed = await runCli(['run', file, '--accept-new-hosts'], { cwd: dir });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/MRV_SSH_HOSTKEY .*n2.*CHANGED/i);
  });

  it('names a node that is down, starts nothing on the others, and leaves nothing behind', async () => {
    const down = join(tempDir(), 'cluster.yaml');
    writeFileSync(down, readFileSync(cluster(bed!.knownHosts), 'utf8') + `  - { name: gone, host: ${bed!.downHost}, user: ${bed!.user}, identity: ${bed!.identity}, known_hosts: ${bed!.knownHosts}, root: /tmp/nowhere }\n`);
    const { dir, file } = network(
      [
        `{ name: src, uses: ${JOBS}/count.ts, params: { limit: 3 }, outputs: [a], default_node: n1 }`,
        `{ name: mid, uses: ${JOBS}/forward.ts, inputs: [a], outputs: [b], default_node: gone }`,
        `{ name: sink, uses: ${JOBS}/print.ts, inputs: [b], default_node: n2 }`,
      ],
      '',
      down,
    );
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MRV_SSH_UNREACHABLE .*'gone'.*10\.77\.0\.99:22/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expectNothingLeft(runIdOf(r));
  });

  it('ships its own Node.js to a node that has none (same system), once', async () => {
    const { dir, file } = network(
      [`{ name: where3, uses: ${SSH_JOBS}#Where, outputs: [w], default_node: n3 }`, `{ name: show, uses: ${JOBS}/print.ts, inputs: [w] }`],
      '',
      cluster(bed!.knownHosts, { n3: ', node_binary: /no/such/node' }, [bed!.nodes[2]!]),
    );
    const first = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^show@n3 +\| n3$/m);
    const second = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/\[marvelo\] n3: uploaded nothing/);
    // the binary is in the node's cache, executable, and is what ran the worker
    const cache = join(bed!.nodes[2]!.root, 'cache');
    const size = statSync(process.execPath).size;
    expect(readdirSync(cache).filter((f) => f.endsWith('x') && statSync(join(cache, f)).size === size)).toHaveLength(1);
  });

  // a cut link, a node that dies, a worker killed on its node: test/ssh/faults.test.ts

  it("a job's exception on a node stops the run with the job's name and its own stack, and leaves nothing", async () => {
    const file = spreadOverNodes(fixture('throws.yaml'), ['n1', 'n2', 'n3'], bed!.clusterFile);
    const r = await runCli(['run', file, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: job 'bad' failed: boom at 5/);
    expect(r.stderr).toMatch(/at explode \(.*jobs\.ts:\d+:\d+\)/);
    // the worker's own frames (the runtime in the node's cache) are not the job's
    expect(r.stderr).not.toMatch(/cache\/[0-9a-f]+\.mjs/);
    expectNothingLeft(runIdOf(r));
  });

  it('Ctrl-C while files are shipped to a node stops at once with exit 130, and leaves nothing there', async () => {
    const n3 = bed!.nodes[2]!;
    // a node without Node.js gets the client's (~100 MB): remove it from the cache, so there is a long upload
    const cache = join(n3.root, 'cache');
    const size = statSync(process.execPath).size;
    for (const f of existsSync(cache) ? readdirSync(cache) : []) if (statSync(join(cache, f)).size === size) rmSync(join(cache, f));
    const { dir, file } = network(
      [`{ name: where3, uses: ${SSH_JOBS}#Where, outputs: [w], default_node: n3 }`, `{ name: show, uses: ${JOBS}/print.ts, inputs: [w] }`],
      '',
      cluster(bed!.knownHosts, { n3: ', node_binary: /no/such/node' }, [n3]),
    );
    const run = startCli(['run', file, '--verbose'], { cwd: dir });
    const [, runId] = (await run.waitFor(/\[marvelo\] run ([0-9a-f-]+):/, 'stderr'))!;
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await eventually(() => processesOfRun(runId!).length === 0 && !runFolders(n3.root).some((f) => f.includes(runId!)), 10_000);
    expectNothingLeft(runId!);
  });

  it("removes the folders of runs whose keeper is gone when it prepares a node, and leaves a run's that is being prepared", async () => {
    const n1 = bed!.nodes[0]!;
    const runs = join(n1.root, 'runs');
    mkdirSync(runs, { recursive: true });
    // a keeper that no longer exists: a process that has exited
    const gone = spawnSync('true').pid!;
    const stale = join(runs, 'stale-run');
    mkdirSync(join(stale, 'jobs'), { recursive: true });
    writeFileSync(join(stale, 'keeper.pid'), `${n1.name} ${gone}\n`);
    // a run of another host that shares this root (a home folder on NFS): its keeper is not ours to judge
    const elsewhere = join(runs, 'elsewhere-run');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'keeper.pid'), `another-host ${gone}\n`);
    onTestFinished(() => rmSync(elsewhere, { recursive: true, force: true }));
    // no keeper.pid yet: another client is making it right now
    const young = join(runs, 'young-run');
    mkdirSync(young, { recursive: true });
    // as the node's SSH user made them
    execFileSync('chown', [`${bed!.uid}:${bed!.uid}`, runs]);
    execFileSync('chown', ['-R', `${bed!.uid}:${bed!.uid}`, stale, young, elsewhere]);
    onTestFinished(() => rmSync(young, { recursive: true, force: true }));
    const { dir, file } = network([`{ name: src, uses: ${JOBS}/count.ts, params: { limit: 2 }, outputs: [a], default_node: n1 }`, `{ name: sink, uses: ${JOBS}/print.ts, inputs: [a], default_node: n1 }`]);
    const r = await runCli(['run', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(elsewhere)).toBe(true);
  });

  it('runs on nodes that share one root folder (a home on NFS): one cache, a run folder per node', async () => {
    const shared = join(bed!.nodes[0]!.root, 'shared');
    mkdirSync(shared, { recursive: true });
    execFileSync('chown', [`${bed!.uid}:${bed!.uid}`, shared]);
    onTestFinished(() => rmSync(shared, { recursive: true, force: true }));
    const both = [bed!.nodes[0]!, bed!.nodes[1]!].map((n) => ({ ...n, root: shared }));
    const { dir, file } = network(demoJobs(['n1', 'n2', 'n1', 'n2', 'n1']), DEMO_PIPES, cluster(bed!.knownHosts, {}, both));
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_DEMO_CSV);
    expect(runFolders(shared)).toEqual([]);
  });
});

