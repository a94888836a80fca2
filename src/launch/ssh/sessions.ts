import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import type { NodeSpec } from '../../config/types.js';
import { MarveloError } from '../../errors.js';
import { connectNode, type ConnectOptions } from './connect.js';

/**
 * sshd allows 10 sessions per connection by default (MaxSessions), and an exec channel and the SFTP
 * subsystem each take one. A node's workers therefore share several connections, 8 channels each (room
 * for the odd channel the client opens while workers run): 30 jobs on a node take 4 connections.
 */
const CHANNELS_PER_CONNECTION = 8;

interface Connection {
  client: Client;
  channels: number;
  lost: boolean;
}

/** The SSH connections to one node, opened as its channels need them. */
export class NodeSessions {
  private readonly connections: Promise<Connection>[] = [];
  private readonly opened: Connection[] = [];
  private closed = false;
  /** Why a connection was lost while the run used it (the first loss), e.g. "Keepalive timeout". */
  lostReason: string | undefined;

  constructor(
    private readonly node: NodeSpec,
    private readonly opts: ConnectOptions,
  ) {}

  /** Runs `command` on the node (a channel of its own; no pty, so its stdout carries bytes as they are). */
  exec(command: string): Promise<ClientChannel> {
    return this.channel('run a command', (client, done) => client.exec(command, done));
  }

  sftp(): Promise<SFTPWrapper> {
    return this.channel('open SFTP', (client, done) => client.sftp(done));
  }

  /** Opens a channel on a connection with room for it; the channel's slot is free again once it closes. */
  private async channel<T extends ClientChannel | SFTPWrapper>(what: string, open: (client: Client, done: (err: Error | undefined, ch: T) => void) => void): Promise<T> {
    const conn = await this.slot();
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        conn.channels--;
        reject(this.channelError(what, err));
      };
      try {
        open(conn.client, (err, ch) => {
          if (err) return fail(err);
          ch.once('close', () => conn.channels--);
          resolve(ch);
        });
      } catch (err) {
        fail(err as Error); // ssh2 throws when the connection is already gone
      }
    });
  }

  /** Connects at once (the first connection), so that connection errors come first and alone. */
  async open(): Promise<void> {
    if (this.connections.length === 0) this.connections.push(this.connect());
    await this.connections[0];
  }

  close(): void {
    this.closed = true;
    for (const c of this.opened) c.client.end();
  }

  /** A channel the node refused or could not open (the connection dropped, or sshd allows fewer sessions). */
  private channelError(what: string, err: Error): MarveloError {
    return new MarveloError('MRV_SSH_CONNECTION', `cannot ${what} on node '${this.node.name}' (${this.node.host}:${this.node.port}): ${err.message}`, {
      where: this.node.where,
      hint: "the connection to the node dropped, or its sshd refused another session (MaxSessions); the node's sshd log says which",
      cause: err,
    });
  }

  /** A connection with a free channel, reserved. */
  private async slot(): Promise<Connection> {
    for (const p of this.connections) {
      const c = await p;
      if (!c.lost && c.channels < CHANNELS_PER_CONNECTION) {
        c.channels++;
        return c;
      }
    }
    const p = this.connect();
    this.connections.push(p);
    const c = await p;
    c.channels++;
    return c;
  }

  private async connect(): Promise<Connection> {
    const client = await connectNode(this.node, this.opts);
    const conn: Connection = { client, channels: 0, lost: false };
    this.opened.push(conn);
    const lost = (err?: Error) => {
      if (conn.lost) return;
      conn.lost = true;
      if (!this.closed) this.lostReason ??= err?.message ?? 'the node closed the connection';
    };
    client.on('error', lost);
    client.on('close', () => lost());
    if (this.closed) client.end();
    return conn;
  }
}
