import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarveloError } from '../errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { MAX_HANDSHAKE_FRAME, NONCE_BYTES, encodeFrame, helloFrame, newNonce, verifyHello } from './hello.js';
import type { StreamReader } from './stream-reader.js';
import { dial, dialErrorCode, formatAddress } from './transport.js';
import { FRAME_HEADER, FrameKind, type Address } from './types.js';

/**
 * Authentication of a data connection with the run's secret (DESIGN 8). The producer listens, the
 * consumer dials (so the consumer reads through `onread` into memory it chooses: StreamReader):
 *
 *   producer (accepts)                         consumer (dials)
 *     CHALLENGE: 32 random bytes     ----->
 *                                    <-----    HELLO: HMAC-SHA256(secret, nonce | pipe) | utf-8 pipe
 *     checks the HMAC (constant time), then that it has that output unconnected
 *
 * acceptPeer hands back `leftover`: bytes that arrived in the same chunk right after HELLO (the
 * consumer's first CREDIT). Feed them to the stream's FrameDecoder before the socket's data. The socket
 * is returned with no 'data' listener and nothing else lost. connectPeer leaves what followed CHALLENGE
 * in its StreamReader, paused: the caller sets the reader's handler and resumes it.
 */

/** Why a data connection was refused (for counting refusals). */
export type AuthRefusal = 'bad-hmac' | 'unknown-pipe' | 'wrong-frame' | 'timeout' | 'garbage' | 'closed' | 'refused';

/** MRV_WIRE_AUTH with a machine-readable reason. */
export class WireAuthError extends MarveloError {
  readonly reason: AuthRefusal;
  constructor(reason: AuthRefusal, message: string, details: { pipe?: string; hint?: string; cause?: unknown } = {}) {
    super('MRV_WIRE_AUTH', `data connection refused (${reason}): ${message}`, details);
    this.reason = reason;
  }
}

export interface AcceptedPeer {
  /** The pipe the authenticated consumer named. */
  pipe: string;
  socket: net.Socket;
  /** Stream bytes received right after HELLO (possibly empty). */
  leftover: Uint8Array;
  /** Bytes sent on the socket so far (the CHALLENGE): the stream offset of the first frame after it. */
  sent: number;
}

export interface ConnectPeerOptions {
  /** Whole budget for dialling (with retries) and the challenge (ms). Default 5000. */
  timeoutMs?: number;
  /** Pause between dial attempts while the listener is not up yet (ms). Default 50. */
  retryMs?: number;
  /** Called after each failed dial that will be retried (diagnostics). */
  onRetry?: (error: MarveloError) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRY_MS = 50;

/**
 * Authenticate a socket just accepted by a producer's listener. On failure the socket is destroyed
 * (after a best-effort ERROR frame) and the promise rejects with WireAuthError (MRV_WIRE_AUTH).
 */
export async function acceptPeer(
  socket: net.Socket,
  secret: Buffer,
  expects: (pipe: string) => boolean,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<AcceptedPeer> {
  const challenge = encodeFrame(FrameKind.CHALLENGE, newNonce());
  const nonce = challenge.subarray(FRAME_HEADER);
  let pipe = '';
  const leftover = await readHandshake(socket, {
    timeoutMs,
    awaited: 'HELLO',
    pipe: undefined,
    start: () => socket.write(challenge),
    step: (kind, body) => {
      if (kind !== FrameKind.HELLO) {
        throw new WireAuthError('wrong-frame', `the first frame is of kind ${kind}, expected HELLO (${FrameKind.HELLO})`, {
          hint: 'only marvelo workers of the same run may connect to a data listener',
        });
      }
      const named = verifyHello(secret, nonce, body);
      if (named === undefined) {
        throw new WireAuthError('bad-hmac', "the HELLO is not signed with this run's secret", {
          hint: 'the consumer belongs to another run, or the secret was not passed to it',
        });
      }
      if (!expects(named)) {
        throw new WireAuthError('unknown-pipe', `pipe '${named}' is not an unconnected output of this worker`, {
          pipe: named,
          hint: 'a consumer connected to the wrong producer, or twice for the same pipe',
        });
      }
      pipe = named;
    },
  });
  return { pipe, socket, leftover, sent: challenge.byteLength };
}

/**
 * Dial the producer of `pipe` (retrying ENOENT / ECONNREFUSED until the timeout: the listener may not
 * be up yet), reading through `reader`; answer its CHALLENGE with HELLO and resolve with the reader
 * paused right after CHALLENGE. Rejects with MRV_WIRE_CONNECT when no connection could be made,
 * WireAuthError (MRV_WIRE_AUTH) when the handshake fails.
 */
export async function connectPeer(
  address: Address,
  secret: Buffer,
  pipe: string,
  reader: StreamReader,
  opts: ConnectPeerOptions = {},
): Promise<net.Socket> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const socket = await dialWithRetry(address, pipe, deadline, timeoutMs, opts.retryMs ?? DEFAULT_RETRY_MS, opts.onRetry, reader.onread);
  const from = formatAddress(address);
  const left = Math.max(1, deadline - Date.now());
  const maxFrame = reader.maxFrame;
  reader.maxFrame = MAX_HANDSHAKE_FRAME;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      reader.maxFrame = maxFrame;
      reader.onHandshake = undefined;
      clearTimeout(timer);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
      reader.onError = undefined;
      if (err === undefined) {
        resolve();
        return;
      }
      refuseAndDestroy(socket, err);
      reject(err);
    };
    reader.onHandshake = (kind, buf, start, end) => {
      reader.pause();
      if (kind === FrameKind.ERROR) {
        throw new WireAuthError('refused', `the producer at ${from} says: ${Buffer.from(buf.subarray(start, end)).toString('utf8')}`, { pipe });
      }
      if (kind !== FrameKind.CHALLENGE || end - start !== NONCE_BYTES) {
        throw new WireAuthError(
          'wrong-frame',
          `expected a CHALLENGE of ${NONCE_BYTES} bytes from ${from}, got a frame of kind ${kind} with ${end - start} bytes`,
          { pipe },
        );
      }
      socket.write(helloFrame(secret, buf.subarray(start, end), pipe));
      finish();
    };
    reader.onError = (err) => {
      const garbage = err instanceof MarveloError && err.code === 'MRV_WIRE_FRAME';
      finish(garbage ? new WireAuthError('garbage', `the bytes received are not a CHALLENGE frame: ${err.message}`, { pipe, cause: err }) : err);
    };
    const onEnd = (): void => finish(new WireAuthError('closed', 'the peer closed the connection before CHALLENGE', { pipe }));
    const onError = (err: Error): void => finish(new WireAuthError('closed', `the connection failed before CHALLENGE: ${err.message}`, { pipe, cause: err }));
    const timer = setTimeout(() => finish(new WireAuthError('timeout', `no CHALLENGE within ${timeoutMs} ms`, {
      pipe,
      hint: 'the peer is not a marvelo worker, or is stalled',
    })), left);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
  });
  return socket;
}

async function dialWithRetry(
  address: Address,
  pipe: string,
  deadline: number,
  timeoutMs: number,
  retryMs: number,
  onRetry: ((error: MarveloError) => void) | undefined,
  onread: net.OnReadOpts,
): Promise<net.Socket> {
  for (;;) {
    try {
      return await dial(address, onread);
    } catch (err) {
      const code = dialErrorCode(err);
      const retryable = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!retryable || Date.now() + retryMs >= deadline) {
        const last = err instanceof Error ? err.message : String(err);
        throw new MarveloError('MRV_WIRE_CONNECT', retryable ? `no listener at ${formatAddress(address)} within ${timeoutMs} ms (${last})` : last, {
          pipe,
          cause: err,
          hint: 'the producer worker did not start listening, or exited; see its log',
        });
      }
      onRetry?.(err as MarveloError);
      await sleep(retryMs);
    }
  }
}

interface HandshakeRead {
  timeoutMs: number;
  /** Name of the awaited frame, for messages. */
  awaited: string;
  pipe: string | undefined;
  /** Runs once the listeners are attached (e.g. send CHALLENGE). */
  start: (() => void) | undefined;
  /** Accepts the frame by returning, refuses by throwing a WireAuthError. */
  step: (kind: number, body: Uint8Array) => void;
}

/**
 * Read frames from `socket` in 'readable' mode (so nothing is lost when we stop) until `step` accepts
 * one; resolve with the bytes received after it. Bytes not yet read stay in the socket.
 */
function readHandshake(socket: net.Socket, { timeoutMs, awaited, pipe, start, step }: HandshakeRead): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    let accepted = false;
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      step(kind, buf.subarray(start, end));
      accepted = true;
      decoder.pause();
    }, MAX_HANDSHAKE_FRAME);
    const details = pipe === undefined ? {} : { pipe };

    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('readable', onReadable);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
      if (err === undefined) {
        resolve(decoder.takePending());
        return;
      }
      refuseAndDestroy(socket, err);
      reject(err);
    };

    const onReadable = (): void => {
      let chunk: Buffer | null;
      while (!settled && (chunk = socket.read() as Buffer | null) !== null) {
        try {
          decoder.push(chunk);
        } catch (err) {
          const garbage = err instanceof MarveloError && err.code === 'MRV_WIRE_FRAME';
          finish(garbage ? new WireAuthError('garbage', `the bytes received are not a ${awaited} frame: ${err.message}`, { ...details, cause: err }) : err);
          return;
        }
        if (accepted) {
          finish();
          return;
        }
      }
    };
    const onEnd = (): void => finish(new WireAuthError('closed', `the peer closed the connection before ${awaited}`, details));
    const onError = (err: Error): void => finish(new WireAuthError('closed', `the connection failed before ${awaited}: ${err.message}`, { ...details, cause: err }));
    const timer = setTimeout(() => finish(new WireAuthError('timeout', `no ${awaited} within ${timeoutMs} ms`, {
      ...details,
      hint: 'the peer is not a marvelo worker, or is stalled',
    })), timeoutMs);

    socket.on('readable', onReadable);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    start?.();
  });
}

/** Tell the peer why (best effort; it may never arrive), then drop the connection. */
function refuseAndDestroy(socket: net.Socket, err: unknown): void {
  if (!socket.destroyed && socket.writable && err instanceof WireAuthError && err.reason !== 'closed') {
    socket.write(encodeFrame(FrameKind.ERROR, Buffer.from(`data connection refused: ${err.reason}`, 'utf8')));
  }
  socket.destroy();
}
