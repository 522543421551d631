import { PollingUpdates, type LiveUpdates } from './updates';

/**
 * The app's one live-update channel. Polling until the BFF serves GET /api/v1/ws; then this
 * becomes `new SharedSocketUpdates(wsUrl, new PollingUpdates(), () => loadSession()?.token)`.
 */
export const liveUpdates: LiveUpdates = new PollingUpdates();
export type { LiveUpdates, Topic } from './updates';
