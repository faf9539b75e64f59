import 'reflect-metadata';
import { bootstrapStdio } from 'nest-mcp';
import { reportMemory } from '../shared/memory-report.js';
import { intEnv } from '../shared/server-ready.js';
import { soakModule } from './soak.module.js';

/** The soak app over stdio, reporting its memory on stderr. */
reportMemory(intEnv('SOAK_SAMPLE_MS', 2_000));
await bootstrapStdio(soakModule(), { logger: false });
