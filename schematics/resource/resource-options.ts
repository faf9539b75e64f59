import type { ProviderOptions } from '../utils/provider-options.js';

/**
 * The resource schematic takes the shared provider options only: its URI or URI template
 * travels as `name` (see `resourceTarget`), because the Nest CLI forwards no other option.
 */
export type ResourceOptions = ProviderOptions;
