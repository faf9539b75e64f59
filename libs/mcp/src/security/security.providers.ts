import type { Provider } from '@nestjs/common';
import { HostOriginPolicy } from './host-origin.policy.js';

export const securityProviders: Provider[] = [HostOriginPolicy];
