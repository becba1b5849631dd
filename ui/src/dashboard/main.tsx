// Entry point of the officials' dashboard: the language remembered in this
// browser, the session (if the cookie still holds one), the report in the URL.
import { render } from 'preact';
import '../shared/styles.css';
import './dashboard.css';
import { apiBase } from './api';
import { lang, storedLanguage } from './i18n';
import { safeStorage } from './components/LanguageSwitch';
import { Dashboard, DashboardContext } from './state';
import { App } from './App';

declare global {
  interface Window {
    __checkinDashboard?: Dashboard;
  }
}

function main(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('#app missing');
  lang.value = storedLanguage(safeStorage());
  const dash = new Dashboard(apiBase(window.location.href), {
    hash: () => window.location.hash,
    setHash: (h, replace) => {
      if (window.location.hash === h) return;
      if (replace) window.history.replaceState(null, '', h);
      else window.history.pushState(null, '', h);
    },
  });
  window.__checkinDashboard = dash;
  window.addEventListener('popstate', () => dash.followHash());
  window.addEventListener('hashchange', () => dash.followHash());
  render(
    <DashboardContext.Provider value={dash}>
      <App />
    </DashboardContext.Provider>,
    root,
  );
  void dash.start();
}

main();
