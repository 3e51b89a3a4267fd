/** The server's longest message when /api/config/public does not say (Runs:MaxInputLength). */
export const DEFAULT_MAX_MESSAGE_LENGTH = 20_000;

export interface CounterState {
  length: number;
  max: number;
  over: boolean;
  /** Within the last tenth of the limit: the counter draws attention to itself. */
  near: boolean;
  label: string;
}

/** The composer's counter. The server measures the trimmed message in UTF-16 code units (a .NET string's
 * Length), which is what JavaScript's `length` counts too, so an emoji counts 2 here as it does there. */
export function counterState(text: string, max: number): CounterState {
  const length = text.trim().length;
  return { length, max, over: length > max, near: length > max * 0.9, label: `${length} / ${max}` };
}
