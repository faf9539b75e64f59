import type { Provider } from '@nestjs/common';
import { McpAuthAdmission } from './mcp-auth.admission.js';
import { McpAuthGuard } from './mcp-auth.guard.js';
import { ProtectedResourceMetadataRoute } from './protected-resource-metadata.route.js';

/** Resource-server mode; both do nothing unless the `auth` option is set. */
export const authProviders: Provider[] = [McpAuthAdmission, McpAuthGuard, ProtectedResourceMetadataRoute];
