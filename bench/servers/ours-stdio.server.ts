import 'reflect-metadata';
import { bootstrapStdio } from 'nest-mcp';
import { oursModule } from './ours.module.js';

/** nest-mcp over stdio (newline-delimited JSON-RPC on stdin/stdout), both eras. */
await bootstrapStdio(oursModule('auto'), { logger: false });
