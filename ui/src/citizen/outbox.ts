// Sending queued check-ins: oldest first, each re-read before it is sent (the
// page and the service worker may both be sending, or the person may have
// deleted everything meanwhile). The server stores a check-in once however
// often it arrives, so sending one twice is harmless; losing one is not, so a
// check-in leaves the queue only when the server has answered for it.
import { Refused, Unreachable, postCheckIn, type CheckInAnswer, type CheckInRequest } from './api';
import { getVisit, pendingVisits, putVisit, type CitizenDb, type Visit } from './db';

/** The Background Sync tag the page registers and the service worker answers. */
export const SYNC_TAG = 'checkin-outbox';

export interface FlushResult {
  sent: number;
  refused: number;
  /** Still queued (the server could not be reached). */
  left: number;
  /** Why sending stopped, when it did. */
  stopped: Unreachable | null;
}

export type Send = (req: CheckInRequest) => Promise<CheckInAnswer>;

/** Runs `fn` alone among this phone's pages and its service worker, where the browser can. */
async function alone<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks ? locks.request('checkin-outbox', fn) : fn();
}

function delivered(v: Visit, a: CheckInAnswer, nowMs: number): Visit {
  const send = v.send;
  return {
    ...v,
    state: 'sent',
    venue_name: a.venue_name,
    sent_ms: nowMs,
    send: null,
    pass: send
      ? {
          text: a.pass,
          svg: a.pass_svg,
          level: a.level,
          expires_at: a.pass_expires_at,
          name: send.declaration.full_name,
          declared_on: send.declared_at.slice(0, 10),
        }
      : null,
  };
}

export function flushOutbox(db: CitizenDb, send: Send = postCheckIn, now: () => number = Date.now): Promise<FlushResult> {
  return alone(async () => {
    const out: FlushResult = { sent: 0, refused: 0, left: 0, stopped: null };
    const queue = await pendingVisits(db);
    for (let i = 0; i < queue.length; i++) {
      const v = await getVisit(db, queue[i].checkin_id);
      if (!v || v.state !== 'pending' || !v.send) continue;
      try {
        const answer = await send({
          code: v.code,
          declaration: v.send.declaration,
          declaration_id: v.send.declaration_id,
          declared_at: v.send.declared_at,
          checkin_id: v.checkin_id,
          direction: v.direction,
          at: v.at,
        });
        await putVisit(db, delivered(v, answer, now()));
        out.sent++;
      } catch (e) {
        if (e instanceof Refused) {
          await putVisit(db, { ...v, state: 'refused', refused_code: e.code, send: null, attempts: v.attempts + 1 });
          out.refused++;
        } else {
          await putVisit(db, { ...v, attempts: v.attempts + 1 });
          out.stopped = e instanceof Unreachable ? e : new Unreachable(String(e));
          out.left = queue.length - i;
          break;
        }
      }
    }
    return out;
  });
}
