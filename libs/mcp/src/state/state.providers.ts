import type { Provider } from '@nestjs/common';

export const stateProviders: Provider[] = [];
