interface Props {
  code: string;
  message: string;
  onDismiss?: () => void;
}

/** One readable error with its error_code (role="alert", announced at once). */
export function ErrorAlert({ code, message, onDismiss }: Props) {
  return (
    <div role="alert" className="alert" data-error-code={code}>
      <span className="alert-text">
        {message} <code className="error-code">{code}</code>
      </span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label={`Dismiss ${code}`}>
          Dismiss
        </button>
      )}
    </div>
  );
}
