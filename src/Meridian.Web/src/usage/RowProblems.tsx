import { count } from './formatFigures';
import type { RowProblem } from './importOutcome';

/** The import's problems, one item per problem with its line number (docs/workloads.md#22-import). */
export function RowProblems({ problems, unlisted }: { problems: RowProblem[]; unlisted: number }) {
  return (
    <div className="row-problems">
      <h3 id="row-problems-heading">Problems in the file</h3>
      <ul data-testid="row-problems" aria-labelledby="row-problems-heading">
        {problems.map((p, i) => (
          <li key={`${p.line}-${i}`}>{p.text}</li>
        ))}
      </ul>
      {unlisted > 0 && <p className="hint">…and {count(unlisted)} more not listed.</p>}
    </div>
  );
}
