import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { reportMemory } from '../shared/memory-report.js';
import { announce, benchProcessHooks, intEnv } from '../shared/server-ready.js';
import { soakModule } from './soak.module.js';

/** The soak app over Streamable HTTP (both eras), WebSocket and polling, reporting its memory. */
benchProcessHooks();
const app = await NestFactory.create(soakModule(), { logger: false });
await app.listen(0, '127.0.0.1');
announce(app.getHttpServer() as Server);
reportMemory(intEnv('SOAK_SAMPLE_MS', 2_000));
