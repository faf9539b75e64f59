import 'reflect-metadata';
import { bootstrapStdio } from 'nest-mcp';
import { AppModule } from './app.module.js';

/** Serves the example app over stdin/stdout; every log line goes to stderr. */
await bootstrapStdio(AppModule);
