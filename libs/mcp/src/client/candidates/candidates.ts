import type { TransportName } from '../transport-attempt.js';
import { pollingCandidate } from './polling.candidate.js';
import { streamableHttpCandidate } from './streamable-http.candidate.js';
import type { CandidateFactory } from './transport-candidate.js';
import { websocketCandidate } from './websocket.candidate.js';

/** How each transport is built, by name. */
export const CANDIDATES: Record<TransportName, CandidateFactory | undefined> = {
  'streamable-http': streamableHttpCandidate,
  websocket: websocketCandidate,
  polling: pollingCandidate,
};
