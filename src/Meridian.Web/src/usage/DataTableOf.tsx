import type { TableSpec } from './chartSpec';

/** A chart's figures as a table: row headers in the first column, one column per series; scrolls sideways in its
 * own box (focusable, so keyboard users can scroll it) instead of widening the page. */
export function DataTableOf({ table, caption }: { table: TableSpec; caption: string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="group" aria-label={`${caption}: table`}>
      <table className="data-table chart-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{table.rowHeader}</th>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {row.cells.map((cell, i) => (
                <td key={table.columns[i] ?? i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
