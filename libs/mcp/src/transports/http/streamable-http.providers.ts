import type { Provider } from '@nestjs/common';
import { BodyParserExemption } from './body-parser-exemption.js';
import { PostFastPath } from './post-fast-path.js';
import { StreamableHttpService } from './streamable-http.service.js';

export { createStreamableHttpController } from './streamable-http.controller.js';

export const streamableHttpProviders: Provider[] = [StreamableHttpService, BodyParserExemption, PostFastPath];
