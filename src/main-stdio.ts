import 'reflect-metadata';
import { bootstrapStdio } from 'nest-mcp';
import { AppModule } from './app.module.js';

/**
 * Serves the example app over stdin/stdout; every log line goes to stderr. No top-level await,
 * so the same line compiles in a CommonJS app (the README's stdio entry).
 */
void bootstrapStdio(AppModule);
