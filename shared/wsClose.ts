// Close codes the agent's WebSocket uses beyond the standard ones, shared with the dashboard so it can
// say why it was disconnected.

/** The client fell too far behind (it read slower than the agent published): reconnect with `?since=`. */
export const WS_CLOSE_TOO_SLOW = 4008;
/** The agent serves its maximum number of clients; try again later (RFC 6455 "Try Again Later"). */
export const WS_CLOSE_TOO_MANY = 1013;
