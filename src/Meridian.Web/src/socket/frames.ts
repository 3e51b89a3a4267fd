// Frames of the WebSocket protocol the app uses (docs/protocol.md).

export interface Frame {
  type: string;
  timestamp?: string;
  id?: string | number;
  reply_to?: string | number;
  [field: string]: unknown;
}

export interface ErrorFrame extends Frame {
  type: 'error';
  error_code: string;
  message: string;
  retry_after_ms?: number;
}

export interface Welcome {
  connection_id: string;
  user_id: string;
  heartbeat_interval: number;
  max_message_size: number;
}

/** The run event types (docs/runs.md#2-events); every other frame is the socket's own business. */
export const RUN_EVENT_TYPES = new Set([
  'agent_started',
  'subagent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'subagent_completed',
  'agent_response_delta',
  'agent_completed',
  'agent_failed',
  'agent_stopped',
]);

export function isErrorFrame(frame: Frame): frame is ErrorFrame {
  return frame.type === 'error' && typeof frame.error_code === 'string';
}

export function welcomeOf(frame: Frame): Welcome | null {
  const data = frame.data as Record<string, unknown> | undefined;
  if (frame.type !== 'system_message' || data?.event !== 'connection_established') return null;
  const config = (data.config ?? {}) as Record<string, number>;
  return {
    connection_id: String(data.connection_id ?? ''),
    user_id: String(data.user_id ?? ''),
    heartbeat_interval: config.heartbeat_interval ?? 25,
    max_message_size: config.max_message_size ?? 8192,
  };
}

/** The browser cannot set headers on a WebSocket, so the token travels as a subprotocol entry
 * `jwt.<base64url(token)>` next to `jwt-auth` (docs/protocol.md#1-connecting): never in the URL. */
export function authProtocols(token: string): string[] {
  const encoded = btoa(token).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return ['jwt-auth', `jwt.${encoded}`];
}
