import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/ApiClient';
import type { RunEvent } from '../api/types';
import { Connection } from '../socket/Connection';
import type { Frame } from '../socket/frames';
import { RunStore } from './RunStore';
import { RunSync } from './RunSync';

/** A socket the test plays the server of. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Frame[] = [];
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as Frame);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  serve(frame: Frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  welcome() {
    this.readyState = 1;
    this.serve({ type: 'system_message', data: { event: 'connection_established', connection_id: 'ws', user_id: 'u', config: { heartbeat_interval: 25, max_message_size: 8192 } } });
  }
}

const ev = (seq: number, type: string, fields: Record<string, unknown> = {}): RunEvent => ({ type, seq, run_id: 'run_1', thread_id: 'thread_1', timestamp: '', ...fields });

describe('Connection and RunSync', () => {
  let frames: (() => void)[];
  let store: RunStore;
  let connection: Connection;
  const states: string[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    frames = [];
    store = new RunStore((cb) => frames.push(cb));
    connection = new Connection({
      url: () => 'ws://test/ws',
      token: async () => 'token-1',
      createSocket: (url, protocols) => new FakeSocket(url, protocols) as unknown as WebSocket,
      random: () => 0.5,
    });
    new RunSync(connection, store, {} as ApiClient);
    connection.onState((s) => states.push(s));
    states.length = 0;
  });

  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  const flush = () => {
    while (frames.length) frames.shift()!();
  };

  it('authenticates with the token as a subprotocol entry, never in the URL', async () => {
    connection.start();
    await vi.advanceTimersByTimeAsync(0);

    const socket = FakeSocket.all[0];
    expect(socket.url).toBe('ws://test/ws');
    expect(socket.protocols[0]).toBe('jwt-auth');
    expect(atob(socket.protocols[1].slice(4))).toBe('token-1');
  });

  it('reconnects with backoff after a drop and resumes the unfinished run from its last seq, showing each event once', async () => {
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeSocket.all[0];
    first.welcome();
    for (let seq = 1; seq <= 6; seq++) first.serve(seq === 1 ? ev(1, 'agent_started') : ev(seq, 'agent_thinking', { reasoning: `t${seq}` }));
    flush();
    expect(states).toEqual(['connecting', 'online']);

    first.close();
    expect(connection.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(300);
    expect(FakeSocket.all).toHaveLength(1); // the first retry waits 375 ms (half of 500 ms plus half of the rest)
    await vi.advanceTimersByTimeAsync(100);
    const second = FakeSocket.all[1];
    second.welcome();

    expect(second.sent).toContainEqual(expect.objectContaining({ type: 'resume', run_id: 'run_1', after_seq: 6 }));
    expect(second.sent).toContainEqual(expect.objectContaining({ type: 'get_agent_status' }));
    // The replay overlaps what was already shown.
    for (let seq = 4; seq <= 9; seq++) second.serve(seq === 9 ? ev(9, 'agent_completed', { response: 'done' }) : ev(seq, 'agent_thinking', { reasoning: `t${seq}` }));
    flush();

    const run = store.get('run_1')!;
    expect(run.status).toBe('completed');
    expect(run.activity.map((a) => (a.kind === 'thinking' ? a.text : ''))).toEqual(['t2', 't3', 't4', 't5', 't6', 't7', 't8']);
    expect(states).toEqual(['connecting', 'online', 'reconnecting', 'online']);
  });

  it('resumes a run under way that another tab started, from the start, into its thread', async () => {
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = FakeSocket.all[0];
    socket.welcome();

    socket.serve({ type: 'agent_status', active_runs: [{ run_id: 'run_other', thread_id: 'thread_9', status: 'running' }] });

    expect(socket.sent).toContainEqual(expect.objectContaining({ type: 'resume', run_id: 'run_other', after_seq: 0 }));
    expect(store.runsOfThread('thread_9')).toEqual(['run_other']);
  });

  it('answers a request with its reply, and an error frame as a rejection with its code', async () => {
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = FakeSocket.all[0];
    socket.welcome();

    const accepted = connection.request({ type: 'user_message', content: 'hi', thread_id: 'thread_1' });
    const refused = connection.request({ type: 'user_message', content: 'again', thread_id: 'thread_1' });
    const [a, b] = socket.sent.filter((f) => f.type === 'user_message');
    socket.serve({ type: 'run_accepted', run_id: 'run_2', thread_id: 'thread_1', reply_to: a.id });
    socket.serve({ type: 'error', error_code: 'RATE_LIMITED', message: 'Slow down', retry_after_ms: 2000, reply_to: b.id });

    await expect(accepted).resolves.toMatchObject({ run_id: 'run_2' });
    await expect(refused).rejects.toMatchObject({ error_code: 'RATE_LIMITED' });
    expect(store.get('run_2')?.threadId).toBe('thread_1');
  });

  it('re-authenticates the open socket with a new token', async () => {
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = FakeSocket.all[0];
    socket.welcome();

    connection.reauthenticate('token-2');

    expect(socket.sent).toContainEqual(expect.objectContaining({ type: 'auth', token: 'token-2' }));
  });
});
