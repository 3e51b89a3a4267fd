import { useConnectionState } from '../app/ServicesContext';

const LABELS = { connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;

/** The socket's state, always visible in the header. */
export function ConnectionStatus() {
  const state = useConnectionState();
  return (
    <span className="connection-status" data-testid="connection-status" data-state={state} title="Connection to the server">
      <span className="dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
