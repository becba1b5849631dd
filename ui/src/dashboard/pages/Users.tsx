// Người dùng (admins only): the accounts of the admin's area, a form to add
// one (its area picked among the admin's units), and per account disable or
// enable, a new password, a new role, each confirmed in a dialog first.
// The server keeps every rule (area, role, not oneself) and writes every
// change to the audit log; the page checks what it can before asking and
// says what a refusal means. Others have no menu entry; a typed link says why.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Combobox } from '../../shared/components/Combobox';
import { Dialog } from '../../shared/components/Dialog';
import { formatIsoDate, formatNumber } from '../../shared/format';
import type { ApiError } from '../api';
import { ReportHead, unitOptions } from '../components/Filters';
import { Empty, ErrorBox, Loading } from '../components/States';
import { asApiError } from '../errors';
import { lang, t } from '../i18n';
import { useCall } from '../hooks';
import { useDashboard } from '../state';
import { vietnamClock } from '../tracing';
import { canManageUsers, type Role, type UserAccount } from '../types';
import { MIN_PASSWORD_CHARS, ROLES, knownRole, loginProblem, matchingUsers, passwordTooShort } from '../users';

type Action = 'disable' | 'enable' | 'password' | 'role';

const roleName = (role: string) => t(`role.${knownRole(role)}`);

/** "24/11/2021", the Vietnam date of an instant. */
function vietnamDate(at: string): string {
  const c = vietnamClock(at);
  return c ? formatIsoDate(c.date) : at;
}

export function UsersPage() {
  const dash = useDashboard();
  const me = dash.session.value?.user;
  const allowed = canManageUsers(me?.role);
  const [state, retry] = useCall(allowed ? 'users' : null, (signal) => dash.api.users(signal));
  // The list as loaded, then as each change answered: no reload, no flicker.
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<{ text: string; login: string } | null>(null);
  const [open, setOpen] = useState<{ action: Action; user: UserAccount } | null>(null);
  const [query, setQuery] = useState('');
  useEffect(() => {
    if (state.status === 'ok') setUsers(state.data.users);
  }, [state]);

  const changed = (u: UserAccount, text: string) => {
    setUsers((all) => {
      const rest = (all ?? []).filter((x) => x.login !== u.login);
      return [...rest, u].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
    });
    setDone({ text, login: u.login });
  };

  return (
    <section class="report" aria-labelledby="report-title" data-report="users">
      <ReportHead title={t('users.title')}>
        {allowed && !adding && (
          <button
            type="button"
            class="btn"
            data-testid="user-add-open"
            onClick={() => {
              setAdding(true);
              setDone(null);
            }}
          >
            <PlusIcon /> {t('users.add')}
          </button>
        )}
      </ReportHead>
      {!allowed ? (
        <div class="notice notice-warn" role="status" data-testid="not-allowed">
          {t('users.notAllowed')}
        </div>
      ) : (
        <>
          <p class="lead users-intro" data-testid="users-intro">
            {t('users.intro', { area: me?.area.name ?? '' })}
          </p>
          {adding && (
            <AddUserForm
              onCancel={() => setAdding(false)}
              onCreated={(u) => {
                setAdding(false);
                changed(u, t('users.created', { login: u.login }));
              }}
            />
          )}
          <div role="status" aria-live="polite" class="users-done-slot">
            {done && (
              <div class="notice notice-ok" data-testid="users-done">
                {done.text}
              </div>
            )}
          </div>
          {state.status === 'error' ? (
            <ErrorBox error={state.error} onRetry={retry} context="users" />
          ) : users === null ? (
            <Loading text={t('users.loading')} />
          ) : (
            <UserTable users={users} me={me?.login ?? ''} query={query} onQuery={setQuery} highlight={done?.login ?? null} onAction={(action, user) => setOpen({ action, user })} />
          )}
          {open && (
            <ActionDialog
              key={`${open.action}-${open.user.login}`}
              action={open.action}
              user={open.user}
              own={open.user.login === me?.login}
              onClose={() => setOpen(null)}
              onDone={(u, text) => {
                setOpen(null);
                changed(u, text);
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

export function UserTable(p: {
  users: UserAccount[];
  me: string;
  query: string;
  onQuery: (q: string) => void;
  highlight: string | null;
  onAction: (a: Action, u: UserAccount) => void;
}) {
  const l = lang.value;
  const shown = useMemo(() => matchingUsers(p.users, p.query), [p.users, p.query]);
  if (p.users.length === 0) return <Empty testid="users-empty">{t('users.empty')}</Empty>;
  return (
    <>
      <div class="field users-search no-print" data-field="user-search">
        <label for="user-search">{t('users.search')}</label>
        <input
          id="user-search"
          type="search"
          class="input"
          autoComplete="off"
          spellcheck={false}
          value={p.query}
          aria-describedby="user-search-hint"
          onInput={(e) => p.onQuery((e.currentTarget as HTMLInputElement).value)}
        />
        <div class="field-hint" id="user-search-hint">
          {t('users.searchHint')}
        </div>
      </div>
      {shown.length === 0 ? (
        <Empty testid="users-none-found">{t('users.noneFound')}</Empty>
      ) : (
        <div class="card table-card" data-testid="report">
          <table class="data-table users-table" data-testid="users-table">
            <caption>{t('users.caption', { n: formatNumber(shown.length, l), of: formatNumber(p.users.length, l) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.col.login')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.area')}</th>
                <th scope="col" class="col-created">
                  {t('users.col.created')}
                </th>
                <th scope="col">{t('users.col.status')}</th>
                <th scope="col" class="col-actions">
                  {t('users.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => {
                const own = u.login === p.me;
                const role = knownRole(u.role);
                const classes = [u.disabled_at ? 'row-disabled' : '', u.login === p.highlight ? 'row-changed' : ''].filter(Boolean).join(' ');
                return (
                  <tr key={u.login} data-login={u.login} data-disabled={u.disabled_at ? 'true' : 'false'} class={classes || undefined}>
                    <th scope="row" data-col="login">
                      <span class="user-name">{u.login}</span>
                      {own && <span class="small muted"> {t('users.you')}</span>}
                      <div class="small muted row-created">{vietnamDate(u.created_at)}</div>
                    </th>
                    <td data-col="role">
                      <span class={`tag role-tag role-${role}`}>{roleName(role)}</span>
                    </td>
                    <td data-col="area">
                      {u.area.name}
                      <div class="small muted">
                        {t(`level.${u.area.level}`)} · {u.area.code}
                      </div>
                    </td>
                    <td data-col="created" class="col-created">
                      {vietnamDate(u.created_at)}
                    </td>
                    <td data-col="status">
                      {u.disabled_at ? (
                        <span class="tag tag-red">{t('users.disabledSince', { date: vietnamDate(u.disabled_at) })}</span>
                      ) : (
                        <span class="tag tag-green">{t('users.active')}</span>
                      )}
                    </td>
                    <td data-col="actions" class="col-actions">
                      <div class="user-actions">
                        {!own && (
                          <button type="button" class="btn btn-secondary" data-action="role" onClick={() => p.onAction('role', u)}>
                            {t('users.changeRole')}
                          </button>
                        )}
                        <button type="button" class="btn btn-secondary" data-action="password" onClick={() => p.onAction('password', u)}>
                          {t('users.resetPassword')}
                        </button>
                        {u.disabled_at ? (
                          <button type="button" class="btn btn-secondary" data-action="enable" onClick={() => p.onAction('enable', u)}>
                            {t('users.enable')}
                          </button>
                        ) : (
                          !own && (
                            <button type="button" class="btn btn-secondary btn-danger-outline" data-action="disable" onClick={() => p.onAction('disable', u)}>
                              {t('users.disable')}
                            </button>
                          )
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A text or password field with its label, hint and error under it; `after` sits beside the input. */
function Field(p: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error: string | null;
  onValue: (v: string) => void;
  type?: 'text' | 'password';
  autoComplete?: string;
  maxLength?: number;
  after?: ComponentChildren;
}) {
  const described = [p.error ? `${p.id}-error` : '', p.hint ? `${p.id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      id={p.id}
      name={p.id}
      // Preact types each input type apart; a field that shows or hides a password is either.
      type={(p.type ?? 'text') as 'text'}
      class="input"
      autoComplete={p.autoComplete ?? 'off'}
      autoCapitalize="none"
      spellcheck={false}
      maxLength={p.maxLength}
      value={p.value}
      aria-invalid={p.error ? true : undefined}
      aria-describedby={described}
      onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
    />
  );
  return (
    <div class={`field ${p.error ? 'has-error' : ''}`} data-field={p.id}>
      <label for={p.id}>{p.label}</label>
      {p.after ? (
        <div class="input-with-button">
          {input}
          {p.after}
        </div>
      ) : (
        input
      )}
      {p.hint && (
        <div class="field-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      )}
      {p.error && (
        <div class="field-error" id={`${p.id}-error`} data-testid="field-error">
          {p.error}
        </div>
      )}
    </div>
  );
}

/** A new password, hidden unless the admin shows it (they will have to pass it on). */
function PasswordField(p: { id: string; label: string; value: string; error: string | null; onValue: (v: string) => void }) {
  const [show, setShow] = useState(false);
  return (
    <Field
      id={p.id}
      label={p.label}
      value={p.value}
      type={show ? 'text' : 'password'}
      autoComplete="new-password"
      maxLength={200}
      hint={t('users.passwordHint', { n: MIN_PASSWORD_CHARS })}
      error={p.error}
      onValue={p.onValue}
      after={
        <button type="button" class="btn btn-secondary" aria-pressed={show} aria-controls={p.id} data-testid={`${p.id}-show`} onClick={() => setShow(!show)}>
          {show ? t('users.hidePassword') : t('users.showPassword')}
        </button>
      }
    />
  );
}

function RoleChoice({ value, onChange, name, disabled }: { value: Role; onChange: (r: Role) => void; name: string; disabled?: (r: Role) => boolean }) {
  return (
    <fieldset class="field role-choice" data-field={name}>
      <legend class="field-label">{t('users.role')}</legend>
      <div class="role-options">
        {ROLES.map((r) => (
          <label key={r} class={`role-option ${value === r ? 'is-selected' : ''}`}>
            <input type="radio" name={name} value={r} checked={value === r} disabled={disabled?.(r)} data-testid={`${name}-${r}`} onChange={() => onChange(r)} />
            <span>
              <strong>{roleName(r)}</strong>
              <span class="small muted role-info">{t(`users.roleInfo.${r}`)}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function AddUserForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (u: UserAccount) => void }) {
  const dash = useDashboard();
  const areas = dash.areas.value;
  const home = dash.session.value?.user.area ?? null;
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [area, setArea] = useState<string | null>(home?.code ?? null);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [taken, setTaken] = useState<string | null>(null);
  const options = useMemo(() => unitOptions(areas?.units ?? (home ? [home] : []), areas?.area ?? home, lang.value), [areas, home, lang.value]);

  const lp = loginProblem(login);
  const loginError = checked && lp ? t(lp === 'missing' ? 'users.err.loginMissing' : 'users.err.loginFormat') : taken !== null && taken === login.trim() ? t('err.login_taken') : null;
  const passwordError = checked && passwordTooShort(password) ? t('users.err.passwordShort', { n: MIN_PASSWORD_CHARS }) : null;
  const areaError = checked && !area ? t('users.err.areaMissing') : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (lp || passwordTooShort(password) || !area) {
      focusFirstError('.user-form');
      return;
    }
    setBusy(true);
    try {
      onCreated(await dash.api.addUser({ login: login.trim(), password, role, area_code: area }));
    } catch (err) {
      const a = asApiError(err);
      if (a.code === 'login_taken') {
        setTaken(login.trim());
        focusFirstError('.user-form');
      } else setError(a);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card user-form no-print" noValidate onSubmit={submit} aria-labelledby="user-form-title" data-testid="user-form">
      <h2 id="user-form-title">{t('users.addTitle')}</h2>
      <div class="user-form-grid">
        <div class="user-form-col">
          <Field id="new-login" label={t('users.login')} value={login} hint={t('users.loginHint')} error={loginError} onValue={setLogin} maxLength={64} />
          <PasswordField id="new-password" label={t('users.password')} value={password} error={passwordError} onValue={setPassword} />
          <div class={`field field-unit ${areaError ? 'has-error' : ''}`} data-field="new-area">
            <label for="new-area">{t('users.area')}</label>
            <Combobox
              id="new-area"
              options={options}
              value={area}
              loading={!areas && !dash.areasError.value}
              describedBy={areaError ? 'new-area-error new-area-hint' : 'new-area-hint'}
              invalid={!!areaError}
              testid="new-area"
              showCodes
              onChange={(v) => setArea(v)}
            />
            <div class="field-hint" id="new-area-hint">
              {t('users.areaHint')}
            </div>
            {areaError && (
              <div class="field-error" id="new-area-error" data-testid="field-error">
                {areaError}
              </div>
            )}
          </div>
        </div>
        <div class="user-form-col">
          <RoleChoice name="new-role" value={role} onChange={setRole} />
        </div>
      </div>
      {error && <ErrorBox error={error} title={t('users.failed')} context="users" />}
      <div class="btn-row user-form-actions">
        <button type="submit" class="btn" disabled={busy} data-testid="user-create">
          {busy ? t('users.creating') : t('users.create')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel} data-testid="user-add-cancel">
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}

/** After a refused submit, the first field that says what is wrong takes the focus. */
function focusFirstError(scope: string): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>(`${scope} [aria-invalid=true]`)?.focus();
  });
}

/** One change to one account, confirmed (and for a password or role, filled in) first. */
export function ActionDialog(p: { action: Action; user: UserAccount; own: boolean; onClose: () => void; onDone: (u: UserAccount, text: string) => void }) {
  const dash = useDashboard();
  const login = p.user.login;
  const current = knownRole(p.user.role);
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(current);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const passwordError = p.action === 'password' && checked && passwordTooShort(password) ? t('users.err.passwordShort', { n: MIN_PASSWORD_CHARS }) : null;

  const title =
    p.action === 'disable'
      ? t('users.confirmDisable', { login })
      : p.action === 'enable'
        ? t('users.confirmEnable', { login })
        : p.action === 'password'
          ? t('users.passwordTitle', { login })
          : t('users.roleTitle', { login });
  const submitText =
    p.action === 'disable' ? t('users.disableSubmit') : p.action === 'enable' ? t('users.enableSubmit') : p.action === 'password' ? t('users.passwordSubmit') : t('users.roleSubmit');

  const submit = async (e: Event) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (p.action === 'password' && passwordTooShort(password)) {
      focusFirstError('.user-dialog');
      return;
    }
    setBusy(true);
    try {
      let u: UserAccount;
      let text: string;
      if (p.action === 'disable' || p.action === 'enable') {
        u = await dash.api.setDisabled(login, p.action === 'disable');
        text = p.action === 'disable' ? t('users.done.disable', { login }) : t('users.done.enable', { login });
      } else if (p.action === 'password') {
        u = await dash.api.setPassword(login, password);
        text = t('users.done.password', { login });
      } else {
        u = await dash.api.setRole(login, role);
        text = t('users.done.role', { login, role: roleName(role) });
      }
      p.onDone(u, text);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} onClose={busy ? undefined : p.onClose} testid="user-dialog" id="user-dialog">
      <form class="user-dialog" noValidate onSubmit={submit} data-action={p.action}>
        {p.action === 'disable' && <p>{t('users.disableText')}</p>}
        {p.action === 'enable' && <p>{t('users.enableText')}</p>}
        {p.action === 'password' && (
          <>
            <p>{t('users.passwordText')}</p>
            {p.own && <p class="notice">{t('users.passwordOwn')}</p>}
            <PasswordField id="reset-password" label={t('users.newPassword')} value={password} error={passwordError} onValue={setPassword} />
          </>
        )}
        {p.action === 'role' && (
          <>
            <p>{t('users.roleText')}</p>
            {p.own && <p class="notice notice-warn">{t('users.roleOwn')}</p>}
            <RoleChoice name="set-role" value={role} onChange={setRole} disabled={(r) => p.own && r !== 'admin'} />
          </>
        )}
        {error && <ErrorBox error={error} title={t('users.failed')} context="users" />}
        <div class="btn-row">
          <button type="button" class="btn btn-ghost" onClick={p.onClose} disabled={busy} data-testid="user-dialog-cancel">
            {t('users.cancel')}
          </button>
          <button
            type="submit"
            class={p.action === 'disable' ? 'btn btn-danger' : 'btn'}
            disabled={busy || (p.action === 'role' && role === current)}
            data-testid="user-dialog-submit"
          >
            {busy ? t('users.busy') : submitText}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PlusIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M10 3v14M3 10h14" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" />
    </svg>
  );
}
