import type { UploadProgress } from './uploadUsageFile';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The upload's progress (a `<progress>`, role progressbar): bytes sent, then an indeterminate bar while the server
 * checks and stores the records. */
export function UploadProgressBar({ progress }: { progress: UploadProgress }) {
  const checking = progress.phase === 'checking';
  const text = checking
    ? 'Checking and storing the records…'
    : `Sent ${size(progress.loaded)} of ${size(progress.total)}${progress.total > 0 ? ` (${Math.floor((progress.loaded / progress.total) * 100)}%)` : ''}`;
  return (
    <div className="upload-progress">
      {checking ? (
        <progress aria-label="Upload progress" aria-valuetext={text} />
      ) : (
        <progress aria-label="Upload progress" aria-valuetext={text} max={Math.max(progress.total, 1)} value={progress.loaded} />
      )}
      <span className="hint">{text}</span>
    </div>
  );
}
