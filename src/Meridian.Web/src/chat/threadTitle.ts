import type { Thread } from '../api/types';

/** A thread's title as shown: a new thread has none until its first message names it. */
export function threadTitle(thread: Pick<Thread, 'title'>): string {
  return thread.title.trim() || 'Untitled';
}
