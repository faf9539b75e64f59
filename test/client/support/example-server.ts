import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestApp } from '../../support/test-platform.js';
import { McpRegistry } from 'nest-mcp';
import { AppModule } from '../../../src/app.module.js';

/** The example app on 127.0.0.1 (port 0), as the client tests' server. */
export interface ExampleServer {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Adds a tool at runtime, which makes the server send `notifications/tools/list_changed`. */
  addTool(name: string): void;
  close(): Promise<void>;
}

export async function startExampleServer(): Promise<ExampleServer> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = createTestApp(moduleRef, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    addTool: (name) => app.get(McpRegistry).addTool({ name, description: 'added at runtime' }, () => 'ok'),
    close: () => app.close(),
  };
}
