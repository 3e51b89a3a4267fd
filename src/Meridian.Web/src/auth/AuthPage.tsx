import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/ApiError';
import { devLogin, login, register } from '../api/endpoints';
import type { TokenAnswer } from '../api/types';
import { errorText } from '../app/errorText';
import { useServices } from '../app/ServicesContext';
import { Link } from '../router/Link';
import { navigate } from '../router/router';
import { ErrorAlert } from '../shell/ErrorAlert';
import { takeReturnTo } from './returnTo';

interface Props {
  mode: 'signin' | 'register';
  /** Why the person is here (their session ended), shown above the form. */
  reason?: string | null;
}

/** Sign-in (/signin) and account creation (/register): one form, two modes. */
export function AuthPage({ mode, reason }: Props) {
  const { api, session, config } = useServices();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [devOffered, setDevOffered] = useState(false);
  const signIn = mode === 'signin';

  useEffect(() => {
    let live = true;
    void config.then((c) => live && setDevOffered(c?.auth.methods.includes('dev') ?? false));
    return () => {
      live = false;
    };
  }, [config]);

  useEffect(() => {
    document.title = signIn ? 'Sign in · Meridian' : 'Create account · Meridian';
    setError(null);
  }, [signIn]);

  const finish = async (attempt: () => Promise<TokenAnswer>) => {
    setBusy(true);
    setError(null);
    try {
      session.signIn(await attempt());
      navigate(takeReturnTo(), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? errorText(e) : { code: 'UNEXPECTED', message: 'Something went wrong.' });
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void finish(() => (signIn ? login(api, email, password) : register(api, email, password, name)));
  };

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand">Meridian</p>
        <h1>{signIn ? 'Sign in' : 'Create account'}</h1>
        {reason && <p className="notice-text">{reason}</p>}
        {/* The server validates (its messages are the ones shown, as alerts); the browser does not block the attempt. */}
        <form onSubmit={submit} noValidate>
          <label htmlFor="auth-email">Email</label>
          <input id="auth-email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="auth-password">Password</label>
          <input
            id="auth-password"
            type="password"
            autoComplete={signIn ? 'current-password' : 'new-password'}
            required
            minLength={signIn ? undefined : 10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={signIn ? undefined : 'password-hint'}
          />
          {!signIn && (
            <p id="password-hint" className="hint">
              At least 10 characters.
            </p>
          )}
          {!signIn && (
            <>
              <label htmlFor="auth-name">Display name</label>
              <input id="auth-name" type="text" autoComplete="nickname" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="name-hint" />
              <p id="name-hint" className="hint">
                Optional.
              </p>
            </>
          )}
          {error && <ErrorAlert code={error.code} message={error.message} />}
          <button type="submit" className="primary" disabled={busy}>
            {signIn ? 'Sign in' : 'Create account'}
          </button>
        </form>
        {devOffered && (
          <button type="button" className="secondary wide" disabled={busy} onClick={() => void finish(() => devLogin(api))}>
            Development login
          </button>
        )}
        <p className="switch">
          {signIn ? <Link href="/register">Create an account</Link> : <Link href="/signin">Sign in instead</Link>}
        </p>
      </div>
    </main>
  );
}
