// The phone page's state: which venue the link names, the person's
// declaration, the visits, and the screen shown. Every change is written to
// IndexedDB before the screen says it happened.
import { computed, signal } from '@preact/signals';
import { v7 as uuidv7 } from 'uuid';
import type { Declaration, Direction, Language } from '../shared/gen';
import { lang } from '../shared/i18n';
import { addDays, localIsoDate, rfc3339 } from '../shared/format';
import { Refused, fetchVenue, type VenueCard } from './api';
import {
  allVisits,
  deleteEverything,
  getKeepDays,
  getProfile,
  getVenue,
  openCitizenDb,
  purgeOlderThan,
  putKeepDays,
  putProfile,
  putVenue,
  putVisit,
  type CitizenDb,
  type KnownVenue,
  type Profile,
  type Visit,
  type VisitPass,
} from './db';
import { Courier, requestBackgroundSync } from './courier';

/**
 * How long the phone keeps visits until the server has said how long it
 * keeps personal data (every venue card says): the server's default.
 */
export const DEFAULT_KEEP_DAYS = 28;

/** `<venue id>.<16 base32 letters>`: what a poster's link ends with. */
const CODE_SHAPE = /^[0-9A-Za-z-]{1,64}\.[A-Za-z2-7]{16}$/;

/** The venue code of a page address (`/c/<code>`), or null on `/c/`. */
export function codeOfPath(pathname: string): string | null {
  const m = /\/c\/([^/?#]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

export function plausibleCode(code: string): boolean {
  return CODE_SHAPE.test(code);
}

export type VenueState =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'known'; venue: KnownVenue; confirmed: boolean }
  /** Offline at a venue never seen: the code is checked when the check-in is sent. */
  | { kind: 'unverified' }
  | { kind: 'unknown' };

export type Screen = { name: 'home' } | { name: 'form'; update: boolean } | { name: 'done'; id: string } | { name: 'visits' } | { name: 'privacy' } | { name: 'deleted' };

const LANG_KEY = 'checkin.citizen.lang';

export class Citizen {
  readonly venue = signal<VenueState>({ kind: 'loading' });
  readonly profile = signal<Profile | null>(null);
  readonly visits = signal<Visit[]>([]);
  readonly screen = signal<Screen>({ name: 'home' });
  readonly ready = signal(false);
  /** IndexedDB could not be opened (private mode in some browsers, a full disk). */
  readonly storageFailed = signal(false);
  /** Days the phone keeps visits: as long as the server keeps personal data. */
  readonly keepDays = signal(DEFAULT_KEEP_DAYS);
  readonly pending = computed(() => this.visits.value.filter((v) => v.state === 'pending').length);
  private db: CitizenDb | null = null;
  readonly courier: Courier;

  readonly code: string | null;
  private readonly now: () => Date;

  constructor(code: string | null, now: () => Date = () => new Date()) {
    this.code = code;
    this.now = now;
    this.courier = new Courier(
      () => this.db,
      () => void this.reloadVisits(),
    );
  }

  today(): string {
    return localIsoDate(this.now());
  }

  /** Declared (or confirmed) today: a check-in is one tap. */
  declaredToday(): boolean {
    return this.profile.value?.declared_on === this.today();
  }

  async start(): Promise<void> {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'vi' || saved === 'en') lang.value = saved;
    try {
      this.db = await openCitizenDb();
      this.keepDays.value = (await getKeepDays(this.db)) ?? DEFAULT_KEEP_DAYS;
      const now = this.now();
      const keep = this.keepDays.value;
      await purgeOlderThan(this.db, now.getTime() - keep * 86_400_000, addDays(localIsoDate(now), -keep));
      this.profile.value = await getProfile(this.db);
      await this.reloadVisits();
    } catch {
      this.storageFailed.value = true;
    }
    this.ready.value = true;
    await this.loadVenue();
    void this.courier.kick();
  }

  setLanguage(l: Language): void {
    lang.value = l;
    globalThis.localStorage?.setItem(LANG_KEY, l);
    document.documentElement.lang = l;
  }

  async loadVenue(): Promise<void> {
    const code = this.code;
    if (code === null) {
      this.venue.value = { kind: 'none' };
      return;
    }
    if (!plausibleCode(code)) {
      this.venue.value = { kind: 'unknown' };
      return;
    }
    const known = this.db ? await getVenue(this.db, code).catch(() => null) : null;
    if (known) this.venue.value = { kind: 'known', venue: known, confirmed: false };
    try {
      const card: VenueCard = await fetchVenue(code);
      const venue: KnownVenue = { ...card, code, seen_ms: this.now().getTime() };
      this.venue.value = { kind: 'known', venue, confirmed: true };
      if (Number.isInteger(card.retention_days) && card.retention_days > 0) this.keepDays.value = card.retention_days;
      if (this.db) {
        await putVenue(this.db, venue).catch(() => undefined);
        await putKeepDays(this.db, this.keepDays.value).catch(() => undefined);
      }
    } catch (e) {
      if (e instanceof Refused) this.venue.value = { kind: 'unknown' };
      else if (!known) this.venue.value = { kind: 'unverified' };
    }
  }

  async reloadVisits(): Promise<void> {
    if (this.db) this.visits.value = await allVisits(this.db);
  }

  /** A new or changed declaration: a new id, made now. */
  async declare(declaration: Declaration): Promise<void> {
    const now = this.now();
    await this.saveProfile({ declaration, declaration_id: uuidv7(), declared_at: rfc3339(now), declared_on: localIsoDate(now) });
  }

  /**
   * "Nothing has changed": today's declaration with the same answers. A
   * declaration is a record of one day, so it gets a new id and time.
   */
  async confirmUnchanged(): Promise<void> {
    const p = this.profile.value;
    if (!p) return;
    await this.declare(p.declaration);
  }

  private async saveProfile(p: Profile): Promise<void> {
    if (!this.db) throw new Error('storage unavailable');
    await putProfile(this.db, p);
    this.profile.value = p;
  }

  /** Queues a check-in (stored on the phone first), shows it, and sends it. */
  async checkIn(direction: Direction): Promise<Visit> {
    const p = this.profile.value;
    const v = this.venue.value;
    if (!p || !this.db || this.code === null) throw new Error('nothing to check in with');
    const now = this.now();
    const known = v.kind === 'known' ? v.venue : null;
    const visit: Visit = {
      checkin_id: uuidv7(),
      code: this.code,
      venue_name: known?.name ?? null,
      venue_address: known ? [known.address, known.commune_name].filter(Boolean).join(', ') : null,
      direction,
      at: rfc3339(now),
      at_ms: now.getTime(),
      state: 'pending',
      send: { declaration: p.declaration, declaration_id: p.declaration_id, declared_at: p.declared_at },
      attempts: 0,
      refused_code: null,
      sent_ms: null,
      pass: null,
    };
    await putVisit(this.db, visit);
    await this.reloadVisits();
    this.screen.value = { name: 'done', id: visit.checkin_id };
    void requestBackgroundSync();
    void this.courier.kick();
    return visit;
  }

  /** The newest pass that is still valid, from any visit the server answered. */
  validPass(): VisitPass | null {
    const now = this.now().getTime();
    for (const v of this.visits.value) if (v.pass && Date.parse(v.pass.expires_at) > now) return v.pass;
    return null;
  }

  async deleteEverything(): Promise<void> {
    const db = this.db;
    this.db = null;
    await deleteEverything(db);
    globalThis.localStorage?.removeItem(LANG_KEY);
    this.profile.value = null;
    this.visits.value = [];
    this.screen.value = { name: 'deleted' };
  }

  go(screen: Screen): void {
    this.screen.value = screen;
    globalThis.scrollTo?.(0, 0);
  }
}
