// Entry point of the station app: pick the backend (Tauri IPC, or the fake
// in a plain browser), start the station state, mount the app.
import { render } from 'preact';
import '../shared/styles.css';
import './station.css';
import { selectBackend, insideTauri } from '../shared/select-backend';
import { Station, StationContext } from './station';
import { App } from './App';
import { kioskIdle } from './config';

declare global {
  interface Window {
    /** The fake backend when running without Tauri (tests drive it). */
    __checkinFake?: unknown;
    __checkinStation?: Station;
    __CHECKIN_FAKE_INIT__?: { kioskIdle?: { warnMs: number; resetMs: number } };
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('#app missing');
  const backend = await selectBackend(window);
  if (!insideTauri(window)) {
    window.__checkinFake = backend;
    const idle = window.__CHECKIN_FAKE_INIT__?.kioskIdle;
    if (idle) Object.assign(kioskIdle, idle);
  }
  const station = new Station(backend);
  window.__checkinStation = station;
  render(
    <StationContext.Provider value={station}>
      <App />
    </StationContext.Provider>,
    root,
  );
  await station.start();
}

void main();
