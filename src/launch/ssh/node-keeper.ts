import type { ClientChannel } from 'ssh2';
import { MarveloError } from '../../errors.js';
import { KEEPER_SCRIPT, KeeperInput } from '../keeper.js';
import { parseProbeOutput, type ProbeOutput } from './probe-script.js';
import { shellQuote } from './remote-command.js';

/** How long a node may take to make the run's folder and report (ms). */
const PREPARE_TIMEOUT_MS = 30_000;

/** How often the client tells each node's keeper that it is alive (ms). */
const BEAT_MS = 1000;
/**
 * How often the node's watcher looks for beats (s). Two looks in a row without a new beat (4 to 6 s of
 * silence) mean the client is gone, whatever sshd knows: sshd's own ClientAliveInterval only counts idle
 * time, and a worker's metrics keep a session from ever being idle, so a cut link would leave the run's
 * workers running until the link came back.
 */
const WATCH_S = 2;

/**
 * Runs before the keeper's loop on a node (POSIX sh; dash on Debian): makes the cache and the run's
 * folder; removes the folders of runs whose keeper is gone (their client died and its keeper could not
 * finish, e.g. the node rebooted) and uploads abandoned an hour ago; starts the watcher that ends the
 * run when the client's beats stop; and reports what the client needs: the absolute root, the system
 * and the version of Node. Arguments: root, the run folder's name, node binary.
 * Nodes may share their root (a home folder on NFS): the cache is shared then, by content and with
 * atomic renames, but each node has its own run folder, and a keeper is judged dead only by its own
 * host (keeper.pid holds `host pid`).
 */
const NODE_PRELUDE = `
root=$1 run=$2 node=$3
case $root in '~') root=$HOME ;; '~/'*) root="$HOME/\${root#'~/'}" ;; esac
cache="$root/cache"
mkdir -p "$cache" "$root/runs" || exit 1
find "$cache" -maxdepth 1 -name '*.part-*' -mmin +60 -exec rm -f {} + 2>/dev/null
me=$(uname -n)
# a zombie answers kill -0: where nothing reaps orphans (some containers), a dead keeper stays one
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  case $(cut -d')' -f2 "/proc/$1/stat") in ' Z'*) return 1 ;; esac
}
for d in "$root"/runs/*; do
  [ -f "$d/keeper.pid" ] || continue
  read -r host pid < "$d/keeper.pid" || continue
  [ "$host" = "$me" ] && ! alive "$pid" && rm -rf -- "$d"
done
dir="$root/runs/$run"
mkdir -m 700 "$dir" "$dir/jobs" || exit 1
echo "$me $$" > "$dir/keeper.pid"
echo 0 > "$dir/.beat"
trap die USR1
(
  seen=-1 misses=0
  # ended by the keeper (TERM): its sleep goes too, or it would outlive the run by up to WATCH_S
  trap 'kill $nap 2>/dev/null; exit 0' TERM
  while :; do
    sleep ${WATCH_S} &
    nap=$!
    wait $nap || exit 0
    n=$(cat "$dir/.beat" 2>/dev/null) || exit 0
    if [ "$n" = "$seen" ]; then misses=$((misses + 1)); else misses=0; fi
    seen=$n
    if [ "$misses" -ge 2 ]; then kill -USR1 $$; exit 0; fi
  done
) </dev/null >/dev/null 2>&1 &
watcher=$!
printf 'root=%s\\n' "$root"
printf 'os=%s\\n' "$(uname -s)"
printf 'arch=%s\\n' "$(uname -m)"
printf 'node=%s\\n' "$("$node" --version 2>/dev/null)"
echo ready
`;

/** The run's folder name on a node: the run id and the node (nodes may share a root). */
export function runFolderName(runId: string, node: string): string {
  return `${runId}.${node.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** What the keeper found on its node: the absolute root, the system and the version of Node. */
export type NodeFacts = Pick<ProbeOutput, 'root' | 'platform' | 'arch' | 'uname' | 'nodeVersion'>;

/**
 * The keeper of a run on one node (src/launch/keeper.ts has the protocol): one exec channel, open for
 * the whole run. When the client dies or its connection drops, sshd closes the keeper's input and the
 * keeper kills the run's workers on that node and removes the run's folder.
 */
export class NodeKeeper extends KeeperInput {
  private closed = false;
  private readonly gone: Promise<void>;
  /** Answers to `echo` lines, in order. */
  private readonly echoes: (() => void)[] = [];

  private constructor(
    channel: ClientChannel,
    readonly facts: NodeFacts,
  ) {
    super(channel);
    const beat = setInterval(() => this.send('beat'), BEAT_MS);
    beat.unref();
    this.gone = new Promise((resolve) =>
      channel.once('close', () => {
        clearInterval(beat);
        this.closed = true;
        for (const e of this.echoes.splice(0)) e();
        resolve();
      }),
    );
  }

  /** `folder`: the name of the run's folder on this node (runFolderName). */
  static async start(exec: (command: string) => Promise<ClientChannel>, node: string, root: string, folder: string, nodeBinary: string): Promise<NodeKeeper> {
    const command = `exec sh -c ${shellQuote([NODE_PRELUDE + KEEPER_SCRIPT])} marvelo-keeper ${shellQuote([root, folder, nodeBinary])}`;
    const channel = await exec(command);
    channel.on('error', () => {});
    let keeper: NodeKeeper | undefined;
    let err = '';
    channel.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let report = '';
    return new Promise<NodeKeeper>((resolve, reject) => {
      // a node whose shell or file system hangs (a stale network mount as its root) must not hang the run
      const timer = setTimeout(() => {
        reject(
          new MarveloError('MRV_SSH_TIMEOUT', `node '${node}' did not prepare the run's folder under ${root} within ${PREPARE_TIMEOUT_MS / 1000} s`, {
            hint: `check the node's \`root\` folder (${root}): \`marvelo nodes\` shows whether its disk answers`,
          }),
        );
        channel.close();
      }, PREPARE_TIMEOUT_MS);
      onLines(channel, (line) => {
        if (keeper !== undefined) keeper.echoes.shift()?.();
        else if (line === 'ready') {
          clearTimeout(timer);
          keeper = new NodeKeeper(channel, parseProbeOutput(report));
          resolve(keeper);
        } else {
          report += line + '\n';
        }
      });
      channel.once('close', () => {
        clearTimeout(timer);
        reject(
          new MarveloError('MRV_LAUNCH_NODE', `cannot prepare the run's folder on node '${node}' under ${root}: ${err.trim() || 'the command ended early'}`, {
            hint: `check that the node's \`root\` folder (${root}) can be written by its SSH user`,
          }),
        );
      });
    });
  }

  /** Resolves once the keeper has done everything sent before (links made). */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.echoes.push(resolve);
      this.send('echo done');
    });
  }

  /** The run's folder on the node. */
  dir(folder: string): string {
    return `${this.facts.root}/runs/${folder}`;
  }

  /** Makes `path` (relative to the run's folder) a link to `name` in the node's cache. */
  link(name: string, path: string): void {
    this.send(`link ${name} ${path}`);
  }

  /** The run is over: the keeper removes the run's folder and exits. Resolves when it has. */
  finish(): Promise<void> {
    this.close('finish');
    return this.gone;
  }
}

function onLines(channel: ClientChannel, onLine: (line: string) => void): void {
  let out = '';
  channel.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      onLine(line);
    }
  });
}
