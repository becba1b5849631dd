// What the phone keeps, in IndexedDB (shared by the page and the service
// worker): the person's declaration of the day, the venues seen, and every
// check-in with whether it has reached the server. Nothing here leaves the
// phone except a queued check-in sent to the venue's server.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Declaration, Direction, Level } from '../shared/gen';
import type { VenueCard } from './api';

export const DB_NAME = 'checkin-citizen';

/** The person's declaration: one id all day, a new one when it changes. */
export interface Profile {
  declaration: Declaration;
  declaration_id: string;
  /** RFC 3339, on the phone's clock. */
  declared_at: string;
  /** The local date it was made or last confirmed ("YYYY-MM-DD"). */
  declared_on: string;
}

export interface KnownVenue extends VenueCard {
  code: string;
  /** When the server last confirmed the code (ms since the epoch). */
  seen_ms: number;
}

export type VisitState = 'pending' | 'sent' | 'refused';

export interface VisitPass {
  text: string;
  svg: string;
  level: Level;
  expires_at: string;
  name: string;
  declared_on: string;
}

export interface Visit {
  checkin_id: string;
  code: string;
  /** Null while an unseen venue's code has not been checked by the server. */
  venue_name: string | null;
  venue_address: string | null;
  direction: Direction;
  /** RFC 3339, on the phone's clock. */
  at: string;
  at_ms: number;
  state: VisitState;
  /** What is sent; dropped once the server has it (the server keeps it). */
  send: { declaration: Declaration; declaration_id: string; declared_at: string } | null;
  attempts: number;
  /** Why the server refused it (an error code), for `refused`. */
  refused_code: string | null;
  sent_ms: number | null;
  pass: VisitPass | null;
}

interface Schema extends DBSchema {
  kv: { key: string; value: unknown };
  venues: { key: string; value: KnownVenue };
  visits: { key: string; value: Visit; indexes: { state: VisitState; at_ms: number } };
}

export type CitizenDb = IDBPDatabase<Schema>;

export function openCitizenDb(): Promise<CitizenDb> {
  return openDB<Schema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('kv');
      db.createObjectStore('venues', { keyPath: 'code' });
      const visits = db.createObjectStore('visits', { keyPath: 'checkin_id' });
      visits.createIndex('state', 'state');
      visits.createIndex('at_ms', 'at_ms');
    },
  });
}

export async function getProfile(db: CitizenDb): Promise<Profile | null> {
  return ((await db.get('kv', 'profile')) as Profile | undefined) ?? null;
}

export async function putProfile(db: CitizenDb, p: Profile): Promise<void> {
  await db.put('kv', p, 'profile');
}

/** How long the server keeps personal data, as it last said (days). */
export async function getKeepDays(db: CitizenDb): Promise<number | null> {
  const v = await db.get('kv', 'retention_days');
  return typeof v === 'number' && v > 0 ? v : null;
}

export async function putKeepDays(db: CitizenDb, days: number): Promise<void> {
  await db.put('kv', days, 'retention_days');
}

export async function getVenue(db: CitizenDb, code: string): Promise<KnownVenue | null> {
  return (await db.get('venues', code)) ?? null;
}

export async function putVenue(db: CitizenDb, v: KnownVenue): Promise<void> {
  await db.put('venues', v);
}

/** Every visit, newest first. */
export async function allVisits(db: CitizenDb): Promise<Visit[]> {
  return (await db.getAllFromIndex('visits', 'at_ms')).reverse();
}

/** Visits not yet on the server, oldest first (the order they are sent in). */
export async function pendingVisits(db: CitizenDb): Promise<Visit[]> {
  const list = await db.getAllFromIndex('visits', 'state', 'pending');
  return list.sort((a, b) => a.at_ms - b.at_ms);
}

export async function putVisit(db: CitizenDb, v: Visit): Promise<void> {
  await db.put('visits', v);
}

export async function getVisit(db: CitizenDb, id: string): Promise<Visit | null> {
  return (await db.get('visits', id)) ?? null;
}

/**
 * Drops what is older than the retention period: visits made before the
 * cutoff (sent or not: the server would purge them too) and a declaration
 * last confirmed before it.
 */
export async function purgeOlderThan(db: CitizenDb, cutoffMs: number, cutoffDate: string): Promise<number> {
  const tx = db.transaction(['visits', 'kv'], 'readwrite');
  let n = 0;
  let cursor = await tx.objectStore('visits').index('at_ms').openCursor(IDBKeyRange.upperBound(cutoffMs, true));
  while (cursor) {
    await cursor.delete();
    n++;
    cursor = await cursor.continue();
  }
  const profile = (await tx.objectStore('kv').get('profile')) as Profile | undefined;
  if (profile && profile.declared_on < cutoffDate) await tx.objectStore('kv').delete('profile');
  await tx.done;
  return n;
}

/** "Delete my data from this phone": the whole database. */
export async function deleteEverything(db: CitizenDb | null): Promise<void> {
  db?.close();
  await deleteDB(DB_NAME);
}
