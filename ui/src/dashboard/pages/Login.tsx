// Login: login name and password; clear words for a wrong password, for
// too many attempts (with the minutes to wait), and for an ended session.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ErrorBox } from '../components/States';
import { retryMinutes } from '../format';
import { t } from '../i18n';
import { useDashboard } from '../state';

export function LoginPage() {
  const dash = useDashboard();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState<{ login?: boolean; password?: boolean }>({});
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const notice = dash.notice.value;
  const startError = dash.startError.value;

  useEffect(() => loginRef.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const m = { login: login.trim() === '', password: password === '' };
    setMissing(m);
    if (m.login) return loginRef.current?.focus();
    if (m.password) return passwordRef.current?.focus();
    setBusy(true);
    setError(null);
    try {
      await dash.login(login.trim(), password);
    } catch (x) {
      const err = x instanceof ApiError ? x : new ApiError(-1, 'unknown', String(x));
      setError(err);
      setPassword('');
      setBusy(false);
      passwordRef.current?.focus();
    }
  };

  return (
    <div class="login-page">
      <header class="login-top">
        <div class="brand">
          <Logo />
          <span class="brand-name">{t('app.name')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" class="login-main">
        <form class="card login-card" onSubmit={submit} noValidate aria-labelledby="login-title" data-testid="login-form">
          <h1 id="login-title">{t('login.title')}</h1>
          <p class="muted">{t('login.intro')}</p>
          {notice === 'expired' && (
            <div class="notice notice-warn" role="status" data-testid="login-notice" data-notice="expired">
              {t('login.expired')}
            </div>
          )}
          {notice === 'logged_out' && (
            <div class="notice notice-ok" role="status" data-testid="login-notice" data-notice="logged_out">
              {t('login.loggedOut')}
            </div>
          )}
          {startError && !error && <ErrorBox error={startError} onRetry={() => void dash.start()} />}
          {error && <LoginError error={error} />}
          <div class={`field ${missing.login ? 'has-error' : ''}`} data-field="login">
            <label for="login">{t('login.login')}</label>
            <input
              id="login"
              name="username"
              type="text"
              ref={loginRef}
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              value={login}
              aria-invalid={missing.login ? true : undefined}
              aria-describedby={missing.login ? 'login-error' : undefined}
              onInput={(e) => setLogin((e.currentTarget as HTMLInputElement).value)}
            />
            {missing.login && (
              <div class="field-error" id="login-error" data-testid="field-error">
                {t('login.needLogin')}
              </div>
            )}
          </div>
          <div class={`field ${missing.password ? 'has-error' : ''}`} data-field="password">
            <label for="password">{t('login.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              ref={passwordRef}
              autoComplete="current-password"
              value={password}
              aria-invalid={missing.password ? true : undefined}
              aria-describedby={missing.password ? 'password-error' : undefined}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            />
            {missing.password && (
              <div class="field-error" id="password-error" data-testid="field-error">
                {t('login.needPassword')}
              </div>
            )}
          </div>
          <button type="submit" class="btn btn-lg btn-block" disabled={busy} data-testid="login-submit">
            {busy ? t('login.busy') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}

function LoginError({ error }: { error: ApiError }) {
  if (error.code === 'bad_credentials')
    return (
      <div class="notice notice-error" role="alert" data-testid="login-error" data-code={error.code}>
        {t('login.bad')}
      </div>
    );
  if (error.code === 'too_many_attempts' || error.status === 429)
    return (
      <div class="notice notice-error" role="alert" data-testid="login-error" data-code="too_many_attempts">
        {t('login.tooMany', { n: retryMinutes(error.retryAfter) })}
      </div>
    );
  return <ErrorBox error={error} />;
}

export function Logo() {
  return (
    <svg class="logo" width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="7" fill="#fff" />
      <path d="M6 6h8v8H6zM18 6h8v8h-8zM6 18h8v8H6z" fill="none" stroke="#0f2a55" stroke-width="2.4" />
      <path d="M19 22l3 3 5-6" fill="none" stroke="#146c34" stroke-width="2.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
