import type { Provider } from '@nestjs/common';

export const stdioProviders: Provider[] = [];
