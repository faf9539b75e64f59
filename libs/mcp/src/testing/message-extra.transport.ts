import type { JSONRPCMessage, McpMessageExtra, McpTransport } from '../transports/transport.interface.js';

/**
 * The server side of an in-memory pair, dressed as a real transport: every inbound message
 * reaches the protocol layer with the `extra` an authenticated HTTP exchange would attach
 * (`principal` from `req.user`, `rawRequest`), so guards and `ctx.principal` see the same
 * values as over Streamable HTTP. `onSend` sees each outbound message before it is delivered.
 */
export function withMessageExtra(
  transport: McpTransport,
  extra: McpMessageExtra,
  onSend: (message: JSONRPCMessage) => void = () => undefined,
): McpTransport {
  return {
    start: () => transport.start(),
    send: (message, options) => {
      onSend(message);
      return transport.send(message, options);
    },
    close: () => transport.close(),
    get onclose() {
      return transport.onclose;
    },
    set onclose(handler) {
      transport.onclose = handler;
    },
    get onerror() {
      return transport.onerror;
    },
    set onerror(handler) {
      transport.onerror = handler;
    },
    get onmessage() {
      return transport.onmessage;
    },
    set onmessage(handler) {
      transport.onmessage =
        handler && ((message, inbound) => handler(message, { ...inbound, ...extra } as McpMessageExtra));
    },
  };
}
