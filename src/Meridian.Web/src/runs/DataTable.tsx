import { formatValue } from './format';

const MAX_ROWS = 50;

type Row = Record<string, unknown>;

function isRows(value: unknown): value is Row[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
}

/** A tool's `data` as tables: a list of records becomes one table with a column per field; an object becomes
 * a table of its figures, followed by a table for each list of records inside it. */
export function DataTable({ data, caption }: { data: unknown; caption: string }) {
  if (isRows(data)) return <RowsTable rows={data} caption={caption} />;
  if (data === null || typeof data !== 'object') {
    return (
      <table className="data-table">
        <caption>{caption}</caption>
        <tbody>
          <tr>
            <th scope="row">value</th>
            <td>{formatValue(data)}</td>
          </tr>
        </tbody>
      </table>
    );
  }
  const entries = Object.entries(data as Row);
  const scalars = entries.filter(([, v]) => !isRows(v));
  const lists = entries.filter(([, v]) => isRows(v)) as [string, Row[]][];
  return (
    <>
      {scalars.length > 0 && (
        <table className="data-table">
          <caption>{caption}</caption>
          <tbody>
            {scalars.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{formatValue(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lists.map(([key, rows]) => (
        <RowsTable key={key} rows={rows} caption={`${caption}: ${key}`} />
      ))}
    </>
  );
}

function RowsTable({ rows, caption }: { rows: Row[]; caption: string }) {
  const columns = [...new Set(rows.slice(0, MAX_ROWS).flatMap((r) => Object.keys(r)))];
  return (
    <div className="table-scroll" tabIndex={0} role="group" aria-label={caption}>
      <table className="data-table">
        <caption>
          {caption}
          {rows.length > MAX_ROWS ? ` (first ${MAX_ROWS} of ${rows.length})` : ''}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, MAX_ROWS).map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{formatValue(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
