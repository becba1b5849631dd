// Entry point of the citizen's phone page: state from IndexedDB, the page,
// then the service worker (which keeps the page working offline and sends
// queued check-ins when the browser wakes it).
import { render } from 'preact';
import '../shared/styles.css';
import './citizen.css';
import { App, CitizenContext } from './App';
import { Citizen, codeOfPath } from './state';

declare global {
  interface Window {
    __citizen?: Citizen;
  }
}

function main(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('#app missing');
  const c = new Citizen(codeOfPath(location.pathname));
  window.__citizen = c;
  // The "loading" line index.html shows until the script runs.
  root.textContent = '';
  c.courier.listen(window);
  render(
    <CitizenContext.Provider value={c}>
      <App />
    </CitizenContext.Provider>,
    root,
  );
  void c.start();
  if ('serviceWorker' in navigator) {
    // The worker sends the queue when Background Sync wakes it: show what it sent.
    navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
      if ((e.data as { type?: string } | null)?.type === 'outbox') void c.reloadVisits();
    });
    navigator.serviceWorker.register('/c/sw.js', { scope: '/c/' }).catch(() => undefined);
  }
}

main();
