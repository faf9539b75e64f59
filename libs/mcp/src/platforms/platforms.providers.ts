import type { Provider } from '@nestjs/common';
import { BodyParserExemption } from './express/body-parser-exemption.js';
import { PostFastPath } from './express/post-fast-path.js';
import { FastifyRawBody } from './fastify/fastify-raw-body.js';

/** What each HTTP platform needs so the MCP route reads its own bodies (each does nothing elsewhere). */
export const platformProviders: Provider[] = [BodyParserExemption, PostFastPath, FastifyRawBody];
