import type { McpModuleOptions } from 'nest-mcp';

/** The scopes of the notes service: `notes:read` for reads, `notes:write` for writes. */
export const NOTES_READ = 'notes:read';
export const NOTES_WRITE = 'notes:write';

/**
 * The example as an OAuth protected resource: with `MCP_AUTH_ISSUER` (the authorization
 * server's issuer URL) and `MCP_RESOURCE_URL` (this server's canonical URI, e.g.
 * `https://notes.example.com/mcp`) set, every request needs a JWT access token of that issuer
 * for that resource; reads need `notes:read` (the default of every tool, resource and prompt),
 * writes `notes:write` (`@McpScopes` on them). `MCP_AUTH_HIDE_UNAUTHORIZED=true` hides from the
 * lists what a token may not use. Without them, `undefined`: the demo bearer guard applies.
 */
export function resourceServerOptions(env = process.env): Pick<McpModuleOptions, 'auth'> | undefined {
  const issuer = env['MCP_AUTH_ISSUER'];
  const resource = env['MCP_RESOURCE_URL'];
  if (issuer === undefined || issuer === '' || resource === undefined || resource === '') return undefined;
  return {
    auth: {
      resource,
      authorizationServers: [issuer],
      scopesSupported: [NOTES_READ, NOTES_WRITE],
      defaultScopes: [NOTES_READ],
      hideUnauthorized: env['MCP_AUTH_HIDE_UNAUTHORIZED'] === 'true',
      resourceName: 'Notes (nest-mcp example)',
    },
  };
}
