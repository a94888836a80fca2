import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, open, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { MarveloError } from '../../errors.js';

/** The first descriptor number a child gets for pipes (0-2 are its stdin, stdout and stderr). */
const FIRST_FD = 3;

/**
 * The pipes between a worker and its executable: one FIFO per pipe, in `folder`.
 *
 * Why FIFOs: Node makes a child's extra stdio 'pipe's from socketpairs, and on Linux open() of
 * /dev/fd/N fails (ENXIO) when N is a socket, so programs that open a path could not use them.
 *
 * - pass 'fd' (MARVELOJob): each FIFO is opened at both ends here, without waiting (a FIFO opened
 *   read-write never blocks, and then neither do the two one-way opens), the program inherits its end
 *   as descriptor 3, 4, ... and gets that number. The result is an ordinary pipe.
 * - pass 'path' (ExecutableJob): the program gets the FIFO's path and opens it itself, in any order.
 *   Output FIFOs: we hold the read end and a spare write end from the start, so the program's open
 *   never waits and we see no end of stream before it opened; the spare goes when the program exits.
 *   Input FIFOs: our write end is opened only when the program opens its read end (a blocking open
 *   on libuv's thread pool). Holding a write end before that would make the program's open of an
 *   input we had already ended wait forever. With more than four inputs, open them in argument order.
 */
export class ChildPipes {
  /** Descriptors the child inherits at FIRST_FD, FIRST_FD + 1, ... (fd mode only). */
  readonly childFds: number[] = [];
  /** One program argument per pipe, inputs then outputs: a FIFO path or a descriptor number. */
  readonly args: string[] = [];
  /** Our write end of each input, once the child opened its end; undefined if it never did. */
  readonly inputs: Promise<Socket | undefined>[] = [];
  /** Our read end of each output. */
  readonly outputs: Socket[] = [];
  /** Write ends held so that the outputs do not end before the child opened them (path mode). */
  private readonly spares: number[] = [];
  /** Input FIFOs whose blocking open still waits for the child. */
  private readonly waiting = new Set<string>();
  private childGone = false;

  private constructor(private readonly folder: string) {}

  static create(folder: string, inputs: readonly string[], outputs: readonly string[], pass: 'path' | 'fd'): ChildPipes {
    const pipes = new ChildPipes(folder);
    const fifo = (name: string) => join(folder, `${name}.fifo`);
    makeFifos(folder, [...inputs, ...outputs].map(fifo));
    for (const name of inputs) {
      const path = fifo(name);
      if (pass === 'fd') {
        const ends = bothEnds(path);
        pipes.giveChild(ends.read);
        pipes.inputs.push(Promise.resolve(writer(ends.write)));
      } else {
        pipes.args.push(path);
        pipes.inputs.push(pipes.openWhenChildReads(path));
      }
    }
    for (const name of outputs) {
      const path = fifo(name);
      if (pass === 'fd') {
        const ends = bothEnds(path);
        pipes.giveChild(ends.write);
        pipes.outputs.push(reader(ends.read));
      } else {
        pipes.args.push(path);
        const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
        pipes.spares.push(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
        pipes.outputs.push(reader(read));
      }
    }
    return pipes;
  }

  /** The child has its copies: close ours, so its end of stream is its own close. */
  afterSpawn(): void {
    for (const fd of this.childFds) closeSync(fd);
    this.childFds.length = 0;
  }

  /** The child exited: nothing will open or write the FIFOs any more. */
  childExited(): void {
    this.childGone = true;
    for (const fd of this.spares) closeSync(fd);
    this.spares.length = 0;
    // Wake the blocking opens still waiting for the child: open and close the read end ourselves.
    for (const path of this.waiting) {
      try {
        closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
      } catch {
        // the open completed meanwhile
      }
    }
  }

  dispose(): void {
    this.afterSpawn();
    this.childExited();
    for (const socket of this.outputs) socket.destroy();
    for (const input of this.inputs) void input.then((socket) => socket?.destroy());
    rmSync(this.folder, { recursive: true, force: true });
  }

  private giveChild(fd: number): void {
    this.args.push(String(FIRST_FD + this.childFds.length));
    this.childFds.push(fd);
  }

  private openWhenChildReads(path: string): Promise<Socket | undefined> {
    this.waiting.add(path);
    return new Promise((resolve) => {
      open(path, constants.O_WRONLY, (err, fd) => {
        this.waiting.delete(path);
        if (err) return resolve(undefined);
        if (this.childGone) {
          closeSync(fd);
          return resolve(undefined);
        }
        resolve(writer(fd));
      });
    });
  }
}

function makeFifos(folder: string, paths: string[]): void {
  mkdirSync(folder, { recursive: true });
  if (paths.length === 0) return;
  const made = spawnSync('mkfifo', ['-m', '600', ...paths], { encoding: 'utf8' });
  if (made.error || made.status !== 0) {
    const why = made.error ? made.error.message : made.stderr.trim();
    throw new MarveloError('MRV_JOB_FAILED', `cannot make the pipes of the executable in ${folder}: mkfifo failed: ${why}`, {
      hint: 'executable jobs need mkfifo (coreutils) on the node, and a run folder on a file system that supports FIFOs',
    });
  }
}

/** An ordinary pipe made from a FIFO, opened without waiting: open read-write first, then each end. */
function bothEnds(path: string): { read: number; write: number } {
  const keeper = openSync(path, constants.O_RDWR);
  try {
    const read = openSync(path, constants.O_RDONLY);
    const write = openSync(path, constants.O_WRONLY);
    return { read, write };
  } finally {
    closeSync(keeper);
  }
}

function writer(fd: number): Socket {
  return new Socket({ fd, readable: false, writable: true });
}

function reader(fd: number): Socket {
  return new Socket({ fd, readable: true, writable: false });
}
