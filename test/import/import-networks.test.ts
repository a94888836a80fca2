/**
 * marvelo import of networks in the shapes of the original's examples: demo v1, demo v4, an executable
 * network like example_2, a network with nodes and groups, and an XML_FILE network. Each is imported from a
 * copy of the test project, its YAML checked, and the written file validated.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNetwork } from '../../src/import/index.js';
import { HAS_PYTHON, NO_PYTHON_REASON, notesAbout, projectCopy, readYaml } from './helpers.js';

describe.skipIf(!HAS_PYTHON)('marvelo import: the original example networks', () => {
  if (!HAS_PYTHON) it.skip(NO_PYTHON_REASON, () => {});

  it('demo v1: PythonJobs become python: jobs, ReducePipe a block_count, the nodes a cluster file with USER', async () => {
    const project = projectCopy();
    const r = await importNetwork(join(project, 'demo_v1'));
    expect(readYaml(r.files.network)).toEqual({
      name: 'demo_v1',
      nodes: './cluster.yaml',
      jobs: [
        { name: 'count_job_1', uses: 'python:jobs/jobs.py#CountJob', outputs: [101] },
        { name: 'count_job_2', uses: 'python:jobs/jobs.py#CountJob', outputs: [102] },
        { name: 'count_job_3', uses: 'python:jobs/jobs.py#CountJob', outputs: [103] },
        { name: 'join_job', uses: 'python:jobs/jobs.py#JoinJob', inputs: [101, 102, 103], outputs: [105] },
        { name: 'reduce_job', uses: 'python:jobs/jobs.py#ReduceJob', inputs: [105] },
      ],
      pipes: { 105: { block_count: 5 } },
    });
    expect(readYaml(r.files.cluster!)).toEqual({
      nodes: [
        { host: '192.168.4.2', user: 'pi' },
        { host: '192.168.4.3', user: 'pi' },
        { host: '192.168.4.4', user: 'pi' },
      ],
    });
    expect(notesAbout(r.notes, 'config CLIENT_IP')).toEqual([expect.stringMatching(/^dropped: not needed/)]);
    expect(notesAbout(r.notes, 'config DEBUG_WINDOW')).toEqual([expect.stringMatching(/^changed: marvelo run prints every line/)]);
    expect(notesAbout(r.notes, 'config REMOTE_ROOT')).toHaveLength(1);
    expect(r.validation.errors).toEqual([]);
  });

  it('demo v4: console and CSV sinks become built-ins, positional and keyword arguments params, the optional pipe its settings', async () => {
    const project = projectCopy();
    const r = await importNetwork(join(project, 'demo_v4'));
    const net = readYaml(r.files.network);
    expect(net.nodes).toBeUndefined();
    expect(r.files.cluster).toBeUndefined();
    expect(existsSync(join(project, 'demo_v4', 'cluster.yaml'))).toBe(false);
    expect(net.jobs).toEqual([
      { name: 'interactive_job', uses: 'builtin:console', outputs: [104] },
      { name: 'source_job_2', uses: 'python:../shared/jobs/jobs.py#SourceJob', outputs: [101, 201] },
      { name: 'source_job_3', uses: 'python:../shared/jobs/jobs.py#SourceJob', params: { start: 20, step: 2 }, outputs: [102, 202] },
      { name: 'source_job_4', uses: 'python:../shared/jobs/jobs.py#SourceJob', params: { start: 5, step: -1 }, outputs: [103, 203] },
      { name: 'join_job', uses: 'python:jobs/jobs.py#JoinJob', inputs: [104, 101, 102, 103], outputs: [105, 204, 205] },
      { name: 'reduce_job', uses: 'python:jobs/jobs.py#ReduceJob', inputs: [105], outputs: [301] },
      {
        name: 'csv_sink_job_7',
        uses: 'builtin:csv-sink',
        params: { path: 'join.csv', columns: ['pipe_201', 'pipe_202', 'pipe_203', 'pipe_204', 'pipe_205'] },
        inputs: [201, 202, 203, 204, 205],
      },
      { name: 'csv_sink_job_8', uses: 'builtin:csv-sink', params: { path: 'reduce.csv', columns: ['sum_301'] }, inputs: [301] },
    ]);
    expect(net.pipes).toEqual({ 104: { optional: { default: '+' } }, 105: { block_count: 5 } });
    expect(notesAbout(r.notes, "job 'interactive_job' (InteractiveJob 1)")).toEqual([expect.stringMatching(/^changed: builtin:console replaces InteractiveJob/)]);
    expect(notesAbout(r.notes, "job 'csv_sink_job_7' (CSVSinkJob 7)")).toEqual([expect.stringMatching(/relative to the folder marvelo run is started in/)]);
    expect(notesAbout(r.notes, 'config USER')).toEqual(['dropped: the network has no nodes to log in to']);
    expect(r.validation.errors).toEqual([]);
  });

  it('an executable network (example_2): programs with their dependencies, flags, descriptors and heads; a custom pipe is refused', async () => {
    const project = projectCopy();
    const r = await importNetwork(join(project, 'exec_net'));
    const net = readYaml(r.files.network);
    const deps = ['source/scale.sh', 'source/sum.py'];
    expect(net.jobs).toEqual([
      { name: 'source_job_1', uses: 'python:../shared/jobs/jobs.py#SourceJob', outputs: [1] },
      { name: 'source_job_2', uses: 'python:../shared/jobs/jobs.py#SourceJob', params: { start: 10 }, outputs: [2] },
      { name: 'middle_job', uses: 'python:jobs/jobs.py#MiddleJob', inputs: [1, 2], outputs: [3, 4] },
      // "python3 sum.py" ran in a folder holding the dependency folder's contents: each entry is a dependency
      { name: 'dynamic_executable_job_4', executable: 'python3', args: ['sum.py'], dependencies: deps, inputs: [4] },
      {
        name: 'scale_program',
        executable: 'source/scale.sh',
        args: ['--factor', '3'],
        input_flag: '--in',
        output_flag: '--out',
        pass: 'fd',
        head: true,
        dependencies: deps,
        inputs: [3],
        outputs: [5],
      },
      { name: 'dynamic_executable_job_6', executable: 'python3', args: ['sum.py', '-v'], dependencies: deps, inputs: [5] },
    ]);
    expect(net.pipes).toEqual({
      3: { codec: 'json' },
      4: { codec: 'bytes', block_size: 4 },
      5: { codec: 'bytes', block_size: 8, block_count: 2 },
    });
    expect(notesAbout(r.notes, 'pipe 4 (IntPipe)')).toEqual([expect.stringMatching(/^dropped: its own pack, unpack cannot run: marvelo runs no Python in a pipe\. It carries raw 4-byte blocks/)]);
    expect(r.validation.errors).toEqual([]);
  });

  it('a network with nodes and groups: groups, DEFAULT_NODE, MAX_QUEUE, LocalJob, HEAD_SIZE; what has no equivalent is listed', async () => {
    const project = projectCopy();
    const r = await importNetwork(join(project, 'cluster_net'));
    const net = readYaml(r.files.network);
    expect(net.head_size).toBe(2);
    expect(net.nodes).toBe('./cluster.yaml');
    expect(net.jobs).toEqual([
      { name: 'recorder_1', uses: 'python:jobs/jobs.py#Recorder', params: { device: 'hw:1' }, outputs: [1], groups: ['mics'], max_queue: 16 },
      { name: 'recorder_2', uses: 'python:jobs/jobs.py#Recorder', params: { device: 'hw:2', rate: 48000 }, outputs: [2], groups: ['mics'], max_queue: 16 },
      {
        name: 'mixer',
        uses: 'python:jobs/jobs.py#Mixer',
        params: { weights: [0.5, 0.5] },
        inputs: [1, 2],
        outputs: [3],
        groups: ['core', 'edge'],
        default_node: '10.0.0.20',
        dependencies: ['jobs/__init__.py', 'jobs/jobs.py'],
      },
      { name: 'monitor', uses: 'python:jobs/jobs.py#Monitor', inputs: [3], groups: ['LOCAL'] },
    ]);
    expect(net.pipes).toEqual({ 2: { codec: 'json', optional: { default: { level: 0 }, store: false, buffer: 1024, drop: 'newest' } } });
    expect(readYaml(r.files.cluster!)).toEqual({
      nodes: [
        { name: 'mic-1', host: '10.0.0.11', user: 'audio', groups: ['mics', 'edge'] },
        { name: 'mic-2', host: '10.0.0.12', user: 'audio', groups: ['mics', 'edge'] },
        { host: '10.0.0.20', user: 'audio', groups: ['core'] },
        { host: '10.0.0.21', user: 'audio' },
      ],
    });
    const dropped = r.notes.filter((n) => n.kind === 'dropped').map((n) => n.subject);
    expect(dropped).toEqual([
      "NODES entry MultiNode('10.0.0.30')",
      "NODES entry 'nodes.csv'",
      'config CLIENT_IP',
      'config PULSE_INTERVAL',
      'config XML_ARGS',
      'config SAMPLE_RATE',
      "job 'mixer' (Mixer 3)", // the unnamed positional argument
      "job 'mixer' (Mixer 3)", // preference()
      "job 'monitor' (Monitor 4)", // a set is not JSON data
    ]);
    expect(notesAbout(r.notes, "job 'mixer' (Mixer 3)")).toEqual([
      expect.stringMatching(/^dropped: constructor positional argument 2 \("surplus"\) has no parameter name/),
      expect.stringMatching(/^dropped: preference\(nodeinfos\) is not called/),
      expect.stringMatching(/^changed: DEPENDENCIES modules json/),
      expect.stringMatching(/^changed: its DEPENDENCIES files are in the job's own folder, \$MARVELO_JOB_DIR/),
    ]);
    expect(notesAbout(r.notes, "job 'monitor' (Monitor 4)")).toEqual([expect.stringMatching(/^dropped: constructor argument window = \{1, 2\} is not JSON data/)]);
    expect(notesAbout(r.notes, 'node 10.0.0.21')).toEqual([expect.stringMatching(/^changed: cpus=4 \(one job per CPU\) is no limit here/)]);
    expect(notesAbout(r.notes, 'pipe 2 (LatePipe)')).toEqual([expect.stringMatching(/^changed: OPTIONAL_BUFFER_SIZE 0 \(unbounded\) becomes buffer: 1024/)]);
    expect(r.validation.errors).toEqual([]);
  });

  it('an XML_FILE network: each algorithm a program with pass: fd on its node, each pipe raw bytes', async () => {
    const project = projectCopy();
    const r = await importNetwork(join(project, 'xml_net'));
    const net = readYaml(r.files.network);
    const deps = ['system/consume.py', 'system/produce.py'];
    expect(net.jobs).toEqual([
      { name: 'produce', executable: 'system/produce.py', args: ['-n', '10'], pass: 'fd', dependencies: deps, outputs: [1], default_node: '192.168.4.3' },
      { name: 'consume', executable: 'python3', args: ['consume.py'], pass: 'fd', dependencies: deps, inputs: [1], groups: ['LOCAL'] },
    ]);
    expect(net.pipes).toEqual({ 1: { codec: 'bytes', block_size: 8, block_count: 2 } });
    expect(readYaml(r.files.cluster!)).toEqual({ nodes: [{ host: '192.168.4.3', user: 'pi' }] });
    expect(notesAbout(r.notes, 'config XML_FILE')).toEqual([expect.stringMatching(/^changed: its 2 job\(s\) are in the network file/)]);
    expect(r.validation.errors).toEqual([]);
  });

  it('writes beside -o with paths relative to it, and the header of network.yaml lists the notes', async () => {
    const project = projectCopy();
    const out = join(project, 'imported', 'v1');
    const r = await importNetwork(join(project, 'demo_v1'), { out });
    expect(r.files.network).toBe(join(out, 'network.yaml'));
    const net = readYaml(r.files.network);
    expect((net.jobs as { uses: string }[])[0]!.uses).toBe('python:../../demo_v1/jobs/jobs.py#CountJob');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(r.files.network, 'utf8');
    expect(text).toMatch(/^# Imported from the MARVELO network .*demo_v1 by marvelo import\.\n/);
    expect(text).toContain('#   dropped: config CLIENT_IP: not needed');
  });
});
