import 'fake-indexeddb/auto';
import { describe, expect, it, beforeEach } from 'vitest';
import { deleteDB } from 'idb';
import type { Declaration } from '../shared/gen';
import { Refused, Unreachable, type CheckInAnswer, type CheckInRequest } from './api';
import { DB_NAME, allVisits, openCitizenDb, purgeOlderThan, putProfile, putVisit, getProfile, type CitizenDb, type Visit } from './db';
import { flushOutbox } from './outbox';
import { Courier, type Timers } from './courier';
import { codeOfPath, plausibleCode } from './state';
import { emptyDeclarationForm, formFromDeclaration, formToDraft, draftToDeclaration } from '../shared/declaration-form';

const CODE = '38-14995-K7QM2A.MFRGGZDFMZTWQ2LK';

function declaration(): Declaration {
  return {
    full_name: 'Nguyễn Văn An',
    id_number: '001090001234',
    birth: '1990-08-15',
    gender: 'male',
    nationality: 'VN',
    phone: '0912345678',
    email: null,
    address: { province_code: '38', district_code: '380', commune_code: '14995', street: 'Thôn 3' },
    places_visited: ['Hà Nội'],
    symptoms: { fever: false, cough: true, shortness_of_breath: false, pneumonia: false, sore_throat: false, fatigue: false },
    exposures: { confirmed_or_suspected_case: false, person_from_affected_area: false, person_with_symptoms: false },
    consent: true,
  };
}

function visit(id: string, atMs: number): Visit {
  return {
    checkin_id: id,
    code: CODE,
    venue_name: 'Chợ Trung Xuân',
    venue_address: null,
    direction: 'in',
    at: new Date(atMs).toISOString(),
    at_ms: atMs,
    state: 'pending',
    send: { declaration: declaration(), declaration_id: 'd-1', declared_at: '2026-11-24T08:00:00+07:00' },
    attempts: 0,
    refused_code: null,
    sent_ms: null,
    pass: null,
  };
}

function answer(req: CheckInRequest): CheckInAnswer {
  return {
    venue_id: '38-14995-K7QM2A',
    venue_name: 'Chợ Trung Xuân',
    declaration: 'accepted',
    checkin: 'accepted',
    level: 'green',
    pass: `CKP1:${req.checkin_id}`,
    pass_svg: '<svg/>',
    pass_expires_at: '2026-11-27T00:00:00Z',
  };
}

let db: CitizenDb;
beforeEach(async () => {
  db?.close();
  await deleteDB(DB_NAME);
  db = await openCitizenDb();
});

describe('outbox', () => {
  it('sends oldest first, keeps the pass and drops what was sent from the phone', async () => {
    await putVisit(db, visit('b', 2000));
    await putVisit(db, visit('a', 1000));
    const order: string[] = [];
    const r = await flushOutbox(db, async (req) => {
      order.push(req.checkin_id);
      expect(req.declaration_id).toBe('d-1');
      return answer(req);
    });
    expect(order).toEqual(['a', 'b']);
    expect(r).toMatchObject({ sent: 2, refused: 0, left: 0, stopped: null });
    const all = await allVisits(db);
    expect(all.map((v) => v.state)).toEqual(['sent', 'sent']);
    expect(all[0].send).toBeNull();
    expect(all[0].pass).toMatchObject({ text: 'CKP1:b', name: 'Nguyễn Văn An', declared_on: '2026-11-24', level: 'green' });
  });

  it('keeps everything queued when the server cannot be reached, and says how many are left', async () => {
    await putVisit(db, visit('a', 1000));
    await putVisit(db, visit('b', 2000));
    let calls = 0;
    const r = await flushOutbox(db, async () => {
      calls++;
      throw new Unreachable('offline');
    });
    expect(calls).toBe(1);
    expect(r.left).toBe(2);
    expect(r.stopped).toBeInstanceOf(Unreachable);
    const all = await allVisits(db);
    expect(all.every((v) => v.state === 'pending' && v.send !== null)).toBe(true);
    expect(all.find((v) => v.checkin_id === 'a')?.attempts).toBe(1);
  });

  it('marks a refused check-in and goes on with the next', async () => {
    await putVisit(db, visit('a', 1000));
    await putVisit(db, visit('b', 2000));
    const r = await flushOutbox(db, async (req) => {
      if (req.checkin_id === 'a') throw new Refused(404, 'unknown_venue', 'no venue has this link');
      return answer(req);
    });
    expect(r).toMatchObject({ sent: 1, refused: 1, left: 0 });
    const a = (await allVisits(db)).find((v) => v.checkin_id === 'a');
    expect(a).toMatchObject({ state: 'refused', refused_code: 'unknown_venue', send: null });
  });

  it('never sends twice what another sender delivered meanwhile', async () => {
    await putVisit(db, visit('a', 1000));
    await putVisit(db, visit('b', 2000));
    const sent: string[] = [];
    await flushOutbox(db, async (req) => {
      sent.push(req.checkin_id);
      if (req.checkin_id === 'a') {
        // The service worker delivers b while the page is sending a.
        const b = (await allVisits(db)).find((v) => v.checkin_id === 'b')!;
        await putVisit(db, { ...b, state: 'sent', send: null });
      }
      return answer(req);
    });
    expect(sent).toEqual(['a']);
  });
});

describe('retention', () => {
  it('drops visits and a declaration older than the cutoff, keeps the rest', async () => {
    await putVisit(db, visit('old', 1000));
    await putVisit(db, visit('new', 5000));
    await putProfile(db, { declaration: declaration(), declaration_id: 'd', declared_at: '2026-10-01T08:00:00+07:00', declared_on: '2026-10-01' });
    expect(await purgeOlderThan(db, 3000, '2026-10-27')).toBe(1);
    expect((await allVisits(db)).map((v) => v.checkin_id)).toEqual(['new']);
    expect(await getProfile(db)).toBeNull();
  });
});

describe('courier', () => {
  class FakeTimers implements Timers {
    waits: number[] = [];
    fns: (() => void)[] = [];
    set = (fn: () => void, ms: number) => {
      this.waits.push(ms);
      this.fns.push(fn);
      return this.fns.length;
    };
    clear = () => undefined;
  }

  it('retries on a growing delay while the server is unreachable, then sends', async () => {
    await putVisit(db, visit('a', 1000));
    let up = false;
    const timers = new FakeTimers();
    const c = new Courier(
      () => db,
      () => undefined,
      async (req) => {
        if (!up) throw new Unreachable('offline');
        return answer(req);
      },
      timers,
    );
    await c.kick();
    await c.kick();
    await c.kick();
    expect(timers.waits).toEqual([5000, 10000, 20000]);
    up = true;
    await c.kick();
    expect((await allVisits(db))[0].state).toBe('sent');
    expect(timers.waits.length).toBe(3);
  });

  it('waits as long as the server asked', async () => {
    await putVisit(db, visit('a', 1000));
    const timers = new FakeTimers();
    const c = new Courier(
      () => db,
      () => undefined,
      async () => {
        throw new Unreachable('HTTP 429', 30);
      },
      timers,
    );
    await c.kick();
    expect(timers.waits).toEqual([30000]);
  });
});

describe('links', () => {
  it('reads the venue code from the page address', () => {
    expect(codeOfPath(`/c/${CODE}`)).toBe(CODE);
    expect(codeOfPath(`/checkin/c/${CODE}/`)).toBe(CODE);
    expect(codeOfPath('/c/')).toBeNull();
    expect(plausibleCode(CODE)).toBe(true);
    expect(plausibleCode(CODE.toLowerCase())).toBe(true);
    expect(plausibleCode('38-14995-K7QM2A')).toBe(false);
    expect(plausibleCode(`${CODE}X`)).toBe(false);
    expect(plausibleCode('<script>.MFRGGZDFMZTWQ2LK')).toBe(false);
  });
});

describe('a declaration made before', () => {
  it('fills the form so that sending it unchanged gives the same declaration', () => {
    const d = declaration();
    const again = draftToDeclaration(formToDraft(formFromDeclaration(d)), '2026-11-24');
    expect(again.errors).toEqual([]);
    expect(again.declaration).toEqual(d);
    const year = { ...d, birth: 1990, nationality: 'NZ' };
    expect(draftToDeclaration(formToDraft(formFromDeclaration(year)), '2026-11-24').declaration).toEqual(year);
    expect(formFromDeclaration(d)).not.toEqual(emptyDeclarationForm());
  });
});
