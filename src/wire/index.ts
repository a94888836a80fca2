export * from './types.js';
export { createCodec, type CreateCodecOptions } from './codecs.js';
export { measureMsgpack } from './codecs/msgpack-measure.js';
export { FrameDecoder, type FrameHandler, DATA_SQN_BYTES, dataHead, dataPayloadStart, dataSqn, readU32, readU64 } from './frame-decoder.js';
export { FrameWriter, type FrameSink, type FrameWriterOptions } from './frame-writer.js';
export { encodeFrame } from './hello.js';
export {
  acceptPeer,
  connectPeer,
  WireAuthError,
  type AcceptedPeer,
  type AuthRefusal,
  type ConnectPeerOptions,
} from './handshake.js';
export { StreamReader, type StreamReaderOptions } from './stream-reader.js';
export { dial, formatAddress, listen, type Listener, type ListenSpec } from './transport.js';
