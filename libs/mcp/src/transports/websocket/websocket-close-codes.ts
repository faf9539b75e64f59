import { WIRE_ERRORS } from '../../errors/wire-errors.js';

/**
 * The close codes this transport sends. Failures take theirs from the wire-error table (the
 * one place that maps failures to the wire); the two that are not failures are RFC 6455's.
 * The README's close-code table is this file.
 */
export const WsCloseCode = {
  /** The client closed (echoed), or the server closed an idle socket. */
  Normal: 1000,
  /** The server is shutting down; in-flight requests were answered or cancelled first. */
  GoingAway: 1001,
  /** A binary frame: MCP messages are JSON text. */
  UnsupportedData: WIRE_ERRORS['unsupported-media-type'].wsCloseCode!,
  /**
   * A policy was broken on an open socket: the peer stopped reading (outgoing buffer cap), or
   * it held more requests waiting past its in-flight cap than the same byte cap allows.
   */
  PolicyViolation: WIRE_ERRORS['slow-consumer'].wsCloseCode!,
  /** A frame over `websocket.maxFrameBytes` (sent by `ws` itself through `maxPayload`). */
  MessageTooBig: WIRE_ERRORS['payload-too-large'].wsCloseCode!,
  /** The access token the socket was opened with expired (`auth` on): reconnect with a fresh one. */
  TokenExpired: WIRE_ERRORS['unauthorized'].wsCloseCode!,
  /** The server failed in a way that left the connection unusable. */
  InternalError: WIRE_ERRORS['internal-error'].wsCloseCode!,
} as const;

/** Close reasons are limited to 123 bytes by RFC 6455; ours are short ASCII. */
export const WsCloseReason = {
  IdleTimeout: 'idle timeout',
  ShuttingDown: 'server shutting down',
  BinaryFrame: 'binary frames are not accepted: send JSON-RPC as text',
  SlowConsumer: 'outgoing buffer limit exceeded: the client is not reading',
  TooManyRequests: 'too many requests waiting: wait for answers before sending more',
  InternalError: 'internal error',
  TokenExpired: 'access token expired: reconnect with a fresh token',
} as const;
