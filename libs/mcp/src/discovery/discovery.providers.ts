import type { Provider } from '@nestjs/common';

export const discoveryProviders: Provider[] = [];
