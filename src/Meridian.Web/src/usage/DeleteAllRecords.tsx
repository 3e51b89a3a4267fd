import { useRef, useState } from 'react';
import { useApi, useServices } from '../app/ServicesContext';
import { errorText } from '../app/errorText';
import { ErrorAlert } from '../shell/ErrorAlert';
import { count } from './formatFigures';
import { deleteAllRecords } from './workloadApi';

/**
 * "Delete all records" behind a confirmation dialog (a modal `<dialog>`: focus starts on Cancel, Escape cancels,
 * focus returns to the button when cancelled). On success `onDeleted` moves on (the page shows its empty state).
 */
export function DeleteAllRecords({ records, onDeleted }: { records: number; onDeleted: () => void }) {
  const api = useApi();
  const { notices } = useServices();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  function open() {
    setError(null);
    dialog.current?.showModal();
    cancel.current?.focus();
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteAllRecords(api);
      dialog.current?.close('deleted');
      notices.announce('All usage records deleted');
      onDeleted();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button ref={trigger} type="button" className="danger-outline" onClick={open}>
        Delete all records
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="delete-records-title"
        aria-describedby="delete-records-text"
        onClose={() => {
          if (dialog.current?.returnValue !== 'deleted') trigger.current?.focus();
          if (dialog.current) dialog.current.returnValue = '';
        }}
        onCancel={(e) => {
          if (busy) e.preventDefault();
        }}
      >
        <h2 id="delete-records-title">Delete all usage records?</h2>
        <p id="delete-records-text">
          This removes all {count(records)} of your usage records. Runs and reports you already have are kept. It cannot be undone.
        </p>
        {error && <ErrorAlert code={error.code} message={error.message} />}
        <div className="form-actions">
          <button ref={cancel} type="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={confirm} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </dialog>
    </>
  );
}
