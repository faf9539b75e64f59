import type { Provider } from '@nestjs/common';
import { McpStdioServer } from './mcp-stdio.server.js';

export const stdioProviders: Provider[] = [McpStdioServer];
