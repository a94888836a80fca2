#!/usr/bin/env node
import { Command, Option } from 'commander';
import { withOverrideOptions } from './override-options.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { schemaCommand } from './schema-command.js';
import { planCommand } from './plan-command.js';
import { consoleCommand } from './console-command.js';
import { reportFatal } from './report.js';
import { parsePort } from './ui-view.js';
import { packageVersion } from './version.js';

/** Options several commands share, worded once. */
const NODES_OPTION = ['--nodes <file>', "a cluster file whose nodes replace the network file's"] as const;
const READ_RUNS_DIR_OPTION = ['--runs-dir <dir>', 'folder of the run records (default: $MARVELO_RUNS_DIR, else the nearest .marvelo/runs here or above)'] as const;

const program = new Command();
program
  .name('marvelo')
  .description('Run MARVELO dataflow networks: source, connector and sink jobs joined by typed pipes')
  .version(packageVersion(), '-V, --version', 'print the version of marvelo')
  .showHelpAfterError();

program
  .command('run')
  .description('run a network until it finishes (Ctrl-C stops every worker)')
  .argument('<network>', 'the network file (YAML)')
  .option('--json', 'print the summary as JSON at the end (job output goes to stderr)')
  .addOption(new Option('--transport <kind>', 'data transport between workers').choices(['unix', 'tcp']))
  .option(...NODES_OPTION)
  .option('--run-dir <dir>', 'folder for the run\'s sockets and bundles (default: a temporary folder)')
  .option('--runs-dir <dir>', 'folder of the run records (default: $MARVELO_RUNS_DIR, else .marvelo/runs next to the network file)')
  .option('-q, --quiet', 'do not print job output')
  .option('--accept-new-hosts', "trust and record the host keys of nodes not yet in known_hosts (never a changed key)")
  .option('-v, --verbose', 'print where every worker runs and listens, and what was shipped to each node')
  .option('--ui', 'serve a live web view of the run on 127.0.0.1 (its address, with a secret token, is printed once)')
  .option('--ui-port <port>', 'port of the web view (default: a free one)', parsePort)
  .option('--progress [seconds]', 'when stderr is not a terminal: a summary line every 5 s (or as many seconds as given), and what was shipped to each node (a terminal gets the live table)')
  .action(async (network: string, opts) => {
    process.exitCode = await runCommand(network, opts);
  });
withOverrideOptions(program.commands.at(-1)!, 'for this run');

program
  .command('validate')
  .description('check a network file (syntax, graph, job modules, ports) without running it')
  .argument('<network>', 'the network file (YAML)')
  .option('--json', 'print the result as JSON')
  .option(...NODES_OPTION)
  .action(async (network: string, opts) => {
    process.exitCode = await validateCommand(network, opts);
  });
withOverrideOptions(program.commands.at(-1)!, 'as a run with them would');

program
  .command('plan')
  .description('show where every job would run and how every pipe would travel, without running anything')
  .argument('<network>', 'the network file (YAML)')
  .option('--json', 'print the plan as JSON')
  .option(...NODES_OPTION)
  .action(async (network: string, opts) => {
    process.exitCode = await planCommand(network, opts);
  });
withOverrideOptions(program.commands.at(-1)!, 'as a run with them would');

program
  .command('graph')
  .description('draw a network, or a finished run with its final counts, as a picture: jobs as boxes grouped by node, pipes as arrows')
  .argument('<network|run>', 'a network file (YAML), or a run id (any unique start of one, or `last`)')
  .option('--format <format>', 'svg, dot (Graphviz) or mermaid (default: from the -o file\'s extension .dot/.gv or .mmd/.mermaid, else svg)')
  .option('-o, --output <file>', 'write the picture to this file (default: stdout)')
  .option(...NODES_OPTION)
  .option(...READ_RUNS_DIR_OPTION)
  .action(async (target: string, opts) => {
    // Loaded on use: the layout engine is only needed here.
    const { graphCommand } = await import('./graph-command.js');
    process.exitCode = await graphCommand(target, opts);
  });

program
  .command('console')
  .description("send lines to the console jobs of a running network (each line is one block; Ctrl-D detaches)")
  .argument('[run]', 'the run id `marvelo run` printed (default: the latest run with console jobs)')
  .action(async (runId: string | undefined) => {
    process.exitCode = await consoleCommand(runId);
  });

const runs = program
  .command('runs')
  .description('list the recorded runs, newest first: id, network, status, start, duration, nodes')
  .addOption(new Option('--status <status>', 'only runs in this state').choices(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out']))
  .option('--json', 'print an array with one object per run')
  .option(...READ_RUNS_DIR_OPTION)
  .action(async (opts) => {
    const { runsCommand } = await import('./runs-command.js');
    process.exitCode = runsCommand(opts);
  });
runs
  .command('show')
  .description("one run: its states with times, placement, per-job figures and failure")
  .argument('<run>', 'a run id, any unique start of one, or `last`')
  .option('--json', 'print its run.json')
  .option(...READ_RUNS_DIR_OPTION)
  .action(async (ref: string, opts) => {
    const { runsShowCommand } = await import('./runs-command.js');
    process.exitCode = runsShowCommand(ref, { ...runs.opts(), ...opts });
  });

program
  .command('logs')
  .description("print what a run's jobs printed (every job's lines prefixed with its name, or one job's)")
  .argument('<run>', 'a run id, any unique start of one, or `last`')
  .argument('[job]', 'only this job')
  .option('-f, --follow', 'keep printing new lines until the run ends')
  .option(...READ_RUNS_DIR_OPTION)
  .action(async (ref: string, job: string | undefined, opts) => {
    const { logsCommand } = await import('./logs-command.js');
    process.exitCode = await logsCommand(ref, job, opts);
  });

program
  .command('stop')
  .description('cancel a running network from another terminal: its workers stop as with Ctrl-C, and are killed after a grace period')
  .argument('<run>', 'a run id, any unique start of one, or `last`')
  .option('--grace <seconds>', 'how long the run may take to stop before it is killed', '10')
  .option(...READ_RUNS_DIR_OPTION)
  .action(async (ref: string, opts) => {
    const { stopCommand } = await import('./stop-command.js');
    process.exitCode = await stopCommand(ref, opts);
  });

program
  .command('nodes')
  .description('check the nodes of a network or cluster file: reachable, login, host key, OS, Node.js, cores, memory, disk, cache, round trip')
  .argument('<file>', 'a network file, or a cluster file (YAML with just a nodes: list)')
  .option('--json', 'print an array with one object per node')
  .option(...NODES_OPTION)
  .option('--accept-new-hosts', 'trust and record host keys not yet in known_hosts (never a changed one)')
  .action(async (file: string, opts) => {
    // Loaded on use: the SSH library is not needed by the other commands.
    const { nodesCommand } = await import('./nodes-command.js');
    process.exitCode = await nodesCommand(file, opts);
  });

program
  .command('ui')
  .description('serve a web view of the recorded runs on 127.0.0.1: their graphs, charts, events and logs (Ctrl-C stops it)')
  .option(...READ_RUNS_DIR_OPTION)
  .option('--port <port>', 'port of the web view (default: a free one)', parsePort)
  .action(async (opts) => {
    const { uiCommand } = await import('./ui-command.js');
    process.exitCode = await uiCommand(opts);
  });

const schedule = program
  .command('schedule')
  .description("start a run of the network at each fire of its schedule: (cron), until Ctrl-C, which also stops the runs it started")
  .argument('<network>', 'the network file (YAML) with a schedule:')
  .option('--runs-dir <dir>', 'folder of the run records (default: $MARVELO_RUNS_DIR, else .marvelo/runs next to the network file); the schedule\'s state and history go to schedule/ beside it')
  .action(async (network: string, opts) => {
    const { scheduleCommand } = await import('./schedule-command.js');
    process.exitCode = await scheduleCommand(network, opts);
  });
for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
  schedule
    .command(name)
    .description(paused ? 'skip the fires of a schedule from now on (a running scheduler reads this before each fire; runs already going are not touched)' : 'let a paused schedule fire again (fires skipped meanwhile are not made up)')
    .argument('<network>', 'the network file (YAML) with a schedule:')
    .option('--runs-dir <dir>', 'folder of the run records, as given to marvelo schedule')
    .action(async (network: string, opts) => {
      const { schedulePauseCommand } = await import('./schedule-command.js');
      process.exitCode = await schedulePauseCommand(network, paused, { ...schedule.opts(), ...opts });
    });
}

program
  .command('import')
  .description("write a network file and a cluster file for an original MARVELO network (its config.py, read by Python), listing what cannot be carried over and why")
  .argument('<folder>', "the original network's folder (the one with config.py)")
  .option('-o, --output <folder>', 'where to write network.yaml and cluster.yaml (default: the network folder)')
  .option('--force', 'replace network.yaml and cluster.yaml if they exist')
  .option('--json', 'print what was written, the notes and the validation as JSON')
  .action(async (folder: string, opts) => {
    const { importCommand } = await import('./import-command.js');
    process.exitCode = await importCommand(folder, opts);
  });

program
  .command('init')
  .description('create a project that runs at once: a network of a source, a connector and a sink in jobs/, their tests, package.json, tsconfig.json, README')
  .argument('[folder]', 'the project folder, created if missing (default: the current folder); files already there are never overwritten')
  .option('--marvelo <spec>', "how the project's package.json names marvelo: an npm version spec, or the path of a marvelo tarball or folder (default: this marvelo's folder, or its version when it was installed from a package)")
  .action(async (folder: string | undefined, opts: { marvelo?: string }) => {
    const { initCommand } = await import('./init-command.js');
    process.exitCode = initCommand(folder, opts);
  });

program
  .command('schema')
  .description('print the JSON Schema of the network file (for editor completion)')
  .action(() => {
    process.exitCode = schemaCommand();
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = reportFatal(err);
});
