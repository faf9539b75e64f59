import { COMMANDS, type CliCommandName } from './cli-commands.js';

const OPTIONS = `Target: a URL (http: or https:; WebSocket is tried on the same URL), or
  --stdio "COMMAND"     run COMMAND through the shell (sh -c, cmd /c on Windows) with this
                        environment and speak MCP on its stdin/stdout; its stderr is shown with
                        --verbose or when it fails to answer
  -- COMMAND [ARGS...]  the same, as the last thing on the line: nest-mcp tools -- node dist/main-stdio.js

Options:
  --transport auto|streamable-http|websocket|polling   force one transport (default auto:
                        Streamable HTTP with SSE, then WebSocket, then polling; not with stdio)
  --header "Name: value"   add a header to every request (repeatable; not with stdio)
  --bearer TOKEN        send Authorization: Bearer TOKEN on every transport (or MCP_BEARER_TOKEN)
  --client-id ID --client-secret SECRET [--scope "S1 S2"]   OAuth client credentials for a
                        protected server (secret also from MCP_CLIENT_SECRET): the authorization
                        server is found from the server's 401 challenge (not with stdio)
  --timeout MS          budget to connect (each transport attempt, or the stdio server to start
                        and answer) and for the answer to the request (default 10000 to connect,
                        60000 to answer)
  --era 2025|2026       speak only 2025-11-25 (initialize, sessions) or only 2026-07-28 (stateless);
                        default: try 2026-07-28, fall back to 2025-11-25. --legacy is --era 2025
  --json                print the protocol result as JSON on stdout, for scripts (the transport
                        line goes to stderr); default: readable text after "transport: <name>"
  --verbose             print every transport attempt and its reason to stderr
  -h, --help            this text; "nest-mcp COMMAND --help" for one command

Exit codes: 0 ok, 1 the tool reported an error (isError; the result is printed), 2 bad command
line (also: no command), 3 server unreachable over every transport or connection lost,
4 request refused (unknown tool, prompt or resource, bad arguments), 5 no answer within --timeout.`;

/** The whole `nest-mcp --help`. */
export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, spec]) => {
    const synopsis = `  nest-mcp ${name} TARGET${spec.operands === '' ? '' : ` ${spec.operands}`}`;
    return synopsis.length < 62
      ? `${synopsis.padEnd(62)}${spec.summary}`
      : `${synopsis}\n${''.padEnd(62)}${spec.summary}`;
  });
  return `Usage:\n${lines.join('\n')}\n\n${OPTIONS}`;
}

/** `nest-mcp COMMAND --help`. */
export function commandUsage(name: CliCommandName): string {
  const spec = COMMANDS[name];
  const operands = spec.operands === '' ? '' : ` ${spec.operands}`;
  return (
    `Usage: nest-mcp ${name} URL${operands} [options]\n` +
    `       nest-mcp ${name} --stdio "COMMAND"${operands} [options]\n` +
    `       nest-mcp ${name}${operands} [options] -- COMMAND [ARGS...]\n\n` +
    `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.\n${spec.help}\n\n${OPTIONS}`
  );
}
