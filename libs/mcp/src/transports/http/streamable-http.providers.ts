import type { Provider } from '@nestjs/common';
import { StreamableHttpService } from './streamable-http.service.js';

export { createStreamableHttpController } from './streamable-http.controller.js';

export const streamableHttpProviders: Provider[] = [StreamableHttpService];
