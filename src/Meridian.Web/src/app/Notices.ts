// Messages for the person: readable errors (role="alert", with their error_code) and run status
// announcements for the polite live region. Any part of the app may post; the shell shows them.

export interface Notice {
  id: number;
  code: string;
  message: string;
}

type Listener = () => void;

export class Notices {
  private items: Notice[] = [];
  private announcement = '';
  private nextId = 1;
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  get list(): readonly Notice[] {
    return this.items;
  }

  get announced(): string {
    return this.announcement;
  }

  error(code: string, message: string): void {
    // One notice per code: a repeated error replaces the older one instead of stacking up.
    this.items = [...this.items.filter((n) => n.code !== code), { id: this.nextId++, code, message }].slice(-4);
    this.notify();
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
    this.notify();
  }

  clear(): void {
    this.items = [];
    this.notify();
  }

  /** Speaks `text` in the live region. The region is emptied first, so the same words said twice (two runs
   * completing) are announced twice. */
  announce(text: string): void {
    clearTimeout(this.announceTimer);
    this.announcement = '';
    this.notify();
    this.announceTimer = setTimeout(() => {
      this.announcement = text;
      this.notify();
    }, 50);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
