import type { SyntheticProfile } from './workloadTypes';

/** The synthetic workload profiles and their default calls per day (docs/workloads.md#23-synthetic-workloads). */
export const PROFILES: { id: SyntheticProfile; label: string; callsPerDay: number }[] = [
  { id: 'chatbot', label: 'Support chatbot', callsPerDay: 2000 },
  { id: 'rag', label: 'Questions over documents (RAG)', callsPerDay: 1500 },
  { id: 'batch_summarisation', label: 'Nightly batch summarisation', callsPerDay: 600 },
  { id: 'agentic', label: 'Agent with tools', callsPerDay: 1500 },
];
