/** A file name for a run's report: the thread's title as a slug, then the end of the run id (unique per run),
 * e.g. `cut-llm-costs-by-30-9d245418.md`; `meridian-report-…` when the thread has no usable title. */
export function reportFileName(threadTitle: string | null | undefined, runId: string): string {
  const slug = (threadTitle ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  const id = runId.replace(/[^A-Za-z0-9]/g, '').slice(-8) || 'report';
  return `${slug || 'meridian-report'}-${id}.md`;
}
