import type { ReactNode } from 'react';
import { useServices, useSession } from '../app/ServicesContext';
import { clearDrafts } from '../chat/drafts';
import { Link } from '../router/Link';
import { navigate } from '../router/router';
import { Announcer } from './Announcer';
import { ConnectionStatus } from './ConnectionStatus';
import { NoticeList } from './NoticeList';

interface Props {
  current: 'chat' | 'usage' | 'ingest' | null;
  children: ReactNode;
}

/** The signed-in frame: header with the main navigation, connection status and sign-out; the page's own
 * content (which brings its own <main>) below. */
export function AppShell({ current, children }: Props) {
  const { session } = useServices();
  const user = useSession()?.user;
  const signOut = async () => {
    clearDrafts();
    await session.signOut();
    navigate('/signin', { replace: true });
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Meridian</span>
        <nav aria-label="Main" className="main-nav">
          <Link href="/chat" aria-current={current === 'chat' ? 'page' : undefined}>
            Chat
          </Link>
          <Link href="/usage" aria-current={current === 'usage' ? 'page' : undefined}>
            Usage
          </Link>
          <Link href="/ingest" aria-current={current === 'ingest' ? 'page' : undefined}>
            Ingest
          </Link>
        </nav>
        <div className="header-end">
          <ConnectionStatus />
          {user && <span className="user-name">{user.name}</span>}
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <Announcer />
      <NoticeList />
      {children}
    </div>
  );
}
