/**
 * Tiny media samples for content tests, generated for this fixture: a 1x1 PNG (one blue
 * pixel) and a WAV of four silent 16-bit samples at 8 kHz.
 */
export const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mOQm/AfAAJ9Aa5PDvJhAAAAAElFTkSuQmCC';
export const SILENT_WAV_BASE64 = 'UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA==';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
