import type { ApiClient } from '../api/ApiClient';
import { archiveThread, createThread, listThreads, renameThread } from '../api/endpoints';
import type { Thread } from '../api/types';

type Listener = () => void;

/** The signed-in user's threads, most recently active first (GET /api/threads), shared by the sidebar and
 * the chat view. */
export class ThreadsStore {
  private items: Thread[] = [];
  private loadedValue = false;
  private readonly listeners = new Set<Listener>();
  private reloading: Promise<void> | null = null;

  constructor(private readonly api: ApiClient) {}

  get list(): readonly Thread[] {
    return this.items;
  }

  get loaded(): boolean {
    return this.loadedValue;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reload(): Promise<void> {
    this.reloading ??= listThreads(this.api)
      .then((answer) => {
        this.items = answer.threads;
        this.loadedValue = true;
        this.notify();
      })
      .finally(() => {
        this.reloading = null;
      });
    return this.reloading;
  }

  async create(): Promise<Thread> {
    const thread = await createThread(this.api);
    this.items = [thread, ...this.items.filter((t) => t.id !== thread.id)];
    this.notify();
    return thread;
  }

  async rename(id: string, title: string): Promise<void> {
    const thread = await renameThread(this.api, id, title);
    this.items = this.items.map((t) => (t.id === id ? thread : t));
    this.notify();
  }

  async archive(id: string): Promise<void> {
    await archiveThread(this.api, id);
    this.items = this.items.filter((t) => t.id !== id);
    this.notify();
  }

  clear(): void {
    this.items = [];
    this.loadedValue = false;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
