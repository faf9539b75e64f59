import { randomBytes } from 'node:crypto';
import {
  createRequestStateCodec as createSdkRequestStateCodec,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { InputStateCodec, RequestStatePayload } from './input-required.js';

/** The SDK's codec refuses shorter HMAC keys; we check first to say which key and what to do. */
export const MIN_REQUEST_STATE_KEY_BYTES = 32;

export interface RequestStateCodecSettings {
  /** Signing keys, newest first: the first signs, every one verifies. Empty: one random key per process. */
  readonly keys: readonly (string | Uint8Array)[];
  readonly ttlSeconds: number;
  /** The stable key of a principal (`undefined`: anonymous); may throw when it cannot tell. */
  readonly principalKey: (principal: unknown) => string | undefined;
}

/** What the SDK codec's `bind` callback is handed instead of a handler context. */
interface BindingContext {
  readonly binding: string;
}

// The SDK hands `bind` the context given to mint/verify; ours carries only the binding.
const bind = (ctx: ServerContext) => (ctx as unknown as BindingContext).binding;

/**
 * Signs `requestState` with the SDK's HMAC codec (RFC 2104 HMAC-SHA256), under keys every
 * instance shares so a retried round may land on any of them, or survive a restart:
 *
 * - rotation: the first key signs, every listed key verifies, so a new key is rolled out by
 *   putting it first and dropping the old one once its states have expired (`ttlSeconds`);
 * - principal binding (spec 2026-07-28, multi round-trip requests: state that influences
 *   what a handler does MUST be bound to the user): the codec's bind tag is the HMAC of the
 *   principal's key, so a state minted for one principal is refused for another, anonymous
 *   included, and the key never appears in clear on the wire.
 */
export function createInputStateCodec(settings: RequestStateCodecSettings): InputStateCodec {
  const keys = settings.keys.length > 0 ? settings.keys : [randomBytes(MIN_REQUEST_STATE_KEY_BYTES)];
  const codecs: RequestStateCodec<RequestStatePayload>[] = keys.map((key) =>
    createSdkRequestStateCodec<RequestStatePayload>({ key, ttlSeconds: settings.ttlSeconds, bind }),
  );
  const contextOf = (principal: unknown) =>
    ({ binding: bindingOf(settings.principalKey, principal) }) as unknown as ServerContext;
  return {
    mint: (payload, principal) => codecs[0]!.mint(payload, contextOf(principal)),
    async verify(state, principal) {
      const ctx = contextOf(principal);
      let failure: unknown;
      for (const codec of codecs) {
        try {
          return await codec.verify(state, ctx);
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    },
  };
}

function bindingOf(principalKey: (principal: unknown) => string | undefined, principal: unknown): string {
  // Prefixes keep "anonymous" apart from every key a principal could have.
  const key = principalKey(principal);
  return key === undefined ? 'anonymous' : `principal:${key}`;
}

/**
 * Checks configured keys: each at least 32 bytes (UTF-8 for strings). Throws an error that
 * names the option and the offending key's position, never its value.
 */
export function assertRequestStateKeys(keys: readonly (string | Uint8Array)[], option: string): void {
  keys.forEach((key, index) => {
    const bytes = typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.byteLength;
    if (bytes < MIN_REQUEST_STATE_KEY_BYTES) {
      throw new Error(
        `${option}[${index}] is ${bytes} bytes; each requestState key must be at least ` +
          `${MIN_REQUEST_STATE_KEY_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`,
      );
    }
  });
}
