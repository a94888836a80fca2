import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** How long a worker whose event loop is free has to end by itself (and end its job's program) once the client is gone (s). */
const GRACE_S = '0.5';

/**
 * The keeper's script. Its input is a line protocol from the client: `pid N` (a worker, or an
 * executable job's program, leader of its own process group), `gone N` (that group ended: its number
 * may be reused), `kill N` (kill that group now), `dir PATH` (the run's temporary folder), `end` (the
 * run is over: nothing to do), `finish` (the run is over: remove the folder). On a node also
 * `link NAME PATH` (make PATH, relative to the run folder, a link to NAME in the node's cache),
 * `echo TEXT` (print TEXT: everything sent before it is done) and `beat` (the client is alive; see
 * src/launch/ssh/node-keeper.ts).
 * End of input without `end` or `finish` means the client died: the keeper kills every process group it
 * was given (workers and programs) and removes the folder (`die`, also run on SIGUSR1 from a node's
 * heartbeat watcher). Values arrive as data, never as shell code. `kill -9 -N`, not `kill -9 -- -N`:
 * dash refuses the `--`.
 */
export const KEEPER_SCRIPT = `
pids=' '
dir=\${dir:-}
watcher=\${watcher:-}
beats=0
quiet() { [ -n "$watcher" ] && kill "$watcher" 2>/dev/null; watcher=; }
die() {
  quiet
  sleep ${GRACE_S}
  for p in $pids; do kill -9 "-$p" 2>/dev/null; done
  [ -n "$dir" ] && rm -rf -- "$dir"
  exit 0
}
while IFS= read -r line; do
  case $line in
    'pid '*) pids="$pids\${line#pid } " ;;
    'gone '*) p=\${line#gone }; case $pids in *" $p "*) pids="\${pids%% $p *} \${pids#* $p }" ;; esac ;;
    'kill '*) kill -9 "-\${line#kill }" 2>/dev/null ;;
    'dir '*) dir=\${line#dir } ;;
    'link '*) l=\${line#link }; name=\${l%% *}; path="$dir/\${l#* }"; mkdir -p "\${path%/*}" && ln -sf "$cache/$name" "$path" ;;
    'echo '*) printf '%s\\n' "\${line#echo }" ;;
    beat) beats=$((beats + 1)); echo "$beats" > "$dir/.beat" ;;
    end) quiet; exit 0 ;;
    finish) quiet; rm -rf -- "$dir"; exit 0 ;;
  esac
done
die
`;

/** The client's side of the keeper's line protocol (KEEPER_SCRIPT), over the keeper's input. */
export class KeeperInput {
  private ended = false;

  constructor(private readonly input: Writable) {
    input.on('error', () => {});
  }

  /** A worker (or an executable job's program) started: `pid` leads its own process group. */
  watch(pid: number): void {
    this.send(`pid ${pid}`);
  }

  /** That group ended (its worker exited): its number may be reused. */
  forget(pid: number): void {
    this.send(`gone ${pid}`);
  }

  /** Kills a watched process group now. */
  kill(pid: number): void {
    this.send(`kill ${pid}`);
  }

  /** The run's temporary folder, removed if the client dies. */
  removeOnDeath(dir: string): void {
    this.send(`dir ${dir}`);
  }

  /** The run is over: `end` leaves the folder (the client removed it), `finish` has the keeper remove it. */
  close(last: 'end' | 'finish'): void {
    if (this.ended) return;
    this.send(last);
    this.ended = true;
    this.input.end();
  }

  protected send(line: string): void {
    if (!this.ended && this.input.writable) this.input.write(line + '\n');
  }
}

/**
 * Ends a run's workers when its client dies, whatever the workers are doing: a job stuck in a
 * synchronous loop never sees its control channel close, so its worker cannot be trusted to exit by
 * itself. One small shell process per launcher (per node) watches the client through a pipe: the kernel
 * closes the pipe when the client dies, however it dies (kill -9 included).
 */
export class Keeper extends KeeperInput {
  constructor() {
    // Own process group: a Ctrl-C in the terminal does not reach it.
    const child = spawn('/bin/sh', ['-c', KEEPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    super(child.stdin);
    child.on('error', () => {});
    child.unref();
    (child.stdin as Writable & { unref?: () => void }).unref?.();
  }

  /** The run is over and cleaned up: the keeper exits without doing anything. */
  end(): void {
    this.close('end');
  }
}
