import { lazy, Suspense, useEffect, useState } from 'react';
import { useServices, useSession } from './app/ServicesContext';
import { AuthPage } from './auth/AuthPage';
import { rememberReturnTo } from './auth/returnTo';
import { ChatPage } from './chat/ChatPage';
import { matchRoute, navigate, usePath } from './router/router';
import { AppShell } from './shell/AppShell';

// The usage page with its charts, and the ingest page, load on first visit, keeping the first load small.
const UsagePage = lazy(() => import('./usage/UsagePage'));
const IngestPage = lazy(() => import('./ingest/IngestPage'));

export function App() {
  const path = usePath();
  const signedIn = useSession() !== null;
  const { session } = useServices();
  const route = matchRoute(path);
  const [expired, setExpired] = useState(false);

  useEffect(
    () =>
      session.subscribe((current, reason) => {
        if (current) return;
        // The session ended (here or in another tab): back to sign-in, keeping the page to return to.
        // Drafts stay in localStorage, so nothing being typed is lost.
        setExpired(reason === 'expired');
        rememberReturnTo(location.pathname);
        navigate('/signin', { replace: true });
      }),
    [session],
  );

  useEffect(() => {
    if (!signedIn && route.name !== 'signin' && route.name !== 'register') {
      rememberReturnTo(path);
      navigate('/signin', { replace: true });
    } else if (signedIn && (route.name === 'home' || route.name === 'signin' || route.name === 'register' || route.name === 'not-found')) {
      navigate('/chat', { replace: true });
    }
  }, [signedIn, route.name, path]);

  if (!signedIn) {
    if (route.name === 'register') return <AuthPage mode="register" />;
    return <AuthPage mode="signin" reason={expired ? 'Your session has ended. Sign in again to continue; your draft is kept.' : null} />;
  }
  if (route.name === 'usage' || route.name === 'ingest') {
    return (
      <AppShell current={route.name}>
        <Suspense fallback={<main id="main" className="page" aria-busy="true" />}>{route.name === 'usage' ? <UsagePage /> : <IngestPage />}</Suspense>
      </AppShell>
    );
  }
  return (
    <AppShell current="chat">
      <ChatPage threadId={route.name === 'chat' ? route.threadId : null} />
    </AppShell>
  );
}
