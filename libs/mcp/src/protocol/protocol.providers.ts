import type { Provider } from '@nestjs/common';

export const protocolProviders: Provider[] = [];
