import type { ProviderOptions } from '../utils/provider-options.js';

export interface ResourceOptions extends ProviderOptions {
  /** A fixed URI; the default when neither is given is `app://<name>`. */
  uri?: string;
  /** An RFC 6570 template such as `docs://pages/{slug}`, instead of `uri`. */
  uriTemplate?: string;
  mimeType?: string;
}
