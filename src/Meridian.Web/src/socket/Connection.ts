import { backoffDelayMs } from './backoff';
import { authProtocols, isErrorFrame, welcomeOf, type ErrorFrame, type Frame, type Welcome } from './frames';

/** WebSocket.OPEN (the constant, so this module also loads where WebSocket is not a global). */
const OPEN = 1;

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface ConnectionOptions {
  url: () => string;
  /** A usable access token (refreshed when due), or null when signed out. */
  token: () => Promise<string | null>;
  createSocket?: (url: string, protocols: string[]) => WebSocket;
  random?: () => number;
}

type FrameListener = (frame: Frame) => void;
type StateListener = (state: ConnectionState) => void;
type WelcomeListener = (welcome: Welcome) => void;

interface Pending {
  resolve: (frame: Frame) => void;
  reject: (error: ErrorFrame) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The app's one WebSocket to /ws (docs/protocol.md). It authenticates with the token as a subprotocol entry,
 * reports its state, reconnects with exponential backoff and jitter, re-authenticates with an `auth` frame when
 * the session's token changes, and treats a socket silent for two heartbeats as dead. Run resumption lives in
 * RunSync, which listens for the welcome.
 */
export class Connection {
  private socket: WebSocket | null = null;
  private stateValue: ConnectionState = 'offline';
  private attempt = 0;
  private running = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private welcomeValue: Welcome | null = null;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly welcomeListeners = new Set<WelcomeListener>();

  constructor(private readonly options: ConnectionOptions) {
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => this.running && this.socket === null && this.reconnectNow());
      window.addEventListener('offline', () => this.running && this.setState('offline'));
    }
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get welcome(): Welcome | null {
    return this.welcomeValue;
  }

  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onWelcome(listener: WelcomeListener): () => void {
    this.welcomeListeners.add(listener);
    return () => this.welcomeListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.open('connecting');
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    this.welcomeValue = null;
    socket?.close(1000, 'signed out');
    this.failPending('NOT_CONNECTED', 'The connection was closed.');
    this.setState('offline');
  }

  /** Sends a frame when the socket is authenticated; false when it is not. */
  send(frame: Frame): boolean {
    if (this.stateValue !== 'online' || !this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify({ ...frame, timestamp: new Date().toISOString() }));
    return true;
  }

  /** Sends a frame with an id and resolves with the server's direct answer (`reply_to`), or rejects with its
   * error frame. */
  request(frame: Frame, timeoutMs = 15_000): Promise<Frame> {
    const id = `c${this.nextId++}`;
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(syntheticError('TIMEOUT', 'The server did not answer in time.'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ ...frame, id })) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(syntheticError('NOT_CONNECTED', 'Not connected to the server.'));
      }
    });
  }

  /** The size a frame would have on the wire, to check against the welcome's max_message_size. */
  static frameBytes(frame: Frame): number {
    return new TextEncoder().encode(JSON.stringify({ ...frame, id: 'c000000', timestamp: new Date().toISOString() })).length;
  }

  /** Presents a new token on the open socket (after a refresh), before the old one expires. */
  reauthenticate(token: string): void {
    if (this.socket?.readyState === OPEN && this.welcomeValue) {
      this.socket.send(JSON.stringify({ type: 'auth', token, id: `auth${this.nextId++}` }));
    }
  }

  private async open(state: ConnectionState): Promise<void> {
    if (!this.running) return;
    this.setState(typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : state);
    const token = await this.options.token();
    if (!this.running) return;
    if (!token) {
      this.stop();
      return;
    }
    const create = this.options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    let socket: WebSocket;
    try {
      socket = create(this.options.url(), authProtocols(token));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (message) => {
      if (this.socket !== socket) return;
      this.watchSilence();
      let frame: Frame;
      try {
        frame = JSON.parse(String(message.data)) as Frame;
      } catch {
        return;
      }
      this.receive(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.welcomeValue = null;
      clearTimeout(this.silenceTimer);
      this.failPending('NOT_CONNECTED', 'The connection was lost.');
      if (this.running) this.scheduleReconnect();
    };
    socket.onerror = () => {
      // onclose follows and decides.
    };
  }

  private receive(frame: Frame): void {
    const welcome = welcomeOf(frame);
    if (welcome) {
      const first = this.welcomeValue === null;
      this.welcomeValue = welcome;
      this.attempt = 0;
      this.setState('online');
      this.settle(frame);
      if (first) for (const listener of this.welcomeListeners) listener(welcome);
      return;
    }
    if (isErrorFrame(frame) && (frame.error_code === 'TOKEN_EXPIRED' || frame.error_code === 'AUTH_REQUIRED') && frame.reply_to === undefined) {
      // The token lapsed on an open socket: the grace period allows a fresh `auth` (docs/protocol.md).
      void this.options.token().then((token) => token && this.reauthenticate(token));
      return;
    }
    if (frame.type === 'server_shutdown') this.setState('reconnecting');
    if (this.settle(frame)) return;
    for (const listener of this.frameListeners) listener(frame);
  }

  private settle(frame: Frame): boolean {
    if (frame.reply_to === undefined) return false;
    const pending = this.pending.get(String(frame.reply_to));
    if (!pending) return false;
    this.pending.delete(String(frame.reply_to));
    clearTimeout(pending.timer);
    if (isErrorFrame(frame)) pending.reject(frame);
    else pending.resolve(frame);
    // Run events and other frames also reach the listeners (run_accepted tells RunSync about a new run).
    for (const listener of this.frameListeners) listener(frame);
    return true;
  }

  private watchSilence(): void {
    clearTimeout(this.silenceTimer);
    const interval = (this.welcomeValue?.heartbeat_interval ?? 25) * 1000;
    const socket = this.socket;
    // The server sends a data heartbeat after `heartbeat_interval` of silence; twice that without a frame means
    // the connection is gone even if the browser has not noticed.
    this.silenceTimer = setTimeout(() => {
      if (this.socket === socket) socket?.close(4000, 'silent');
    }, interval * 2 + 5_000);
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.setState(offline ? 'offline' : 'reconnecting');
    if (offline) return; // the browser's `online` event reconnects
    const delay = backoffDelayMs(this.attempt++, { random: this.options.random });
    this.retryTimer = setTimeout(() => void this.open('reconnecting'), delay);
  }

  private reconnectNow(): void {
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    void this.open('reconnecting');
  }

  private failPending(code: string, message: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(syntheticError(code, message));
      this.pending.delete(id);
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

function syntheticError(code: string, message: string): ErrorFrame {
  return { type: 'error', error_code: code, message };
}
