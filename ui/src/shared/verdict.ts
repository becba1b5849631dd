// What the gate shows for an admission: the banner tone, its big title, the
// person, the reasons in words and the follow-up actions. Pure over the
// current language, so it is tested as a table.
import type { Admission, PayloadKind, Reason, RuleProblem } from './gen';
import { t } from './i18n';
import { formatDateTime, formatIsoDate } from './format';
import type { Cue } from './sound';

/** `data-level` of the verdict banner. */
export type BannerLevel = 'green' | 'amber' | 'red' | 'none';

export type GateAction = 'kiosk' | 'paper' | 'manual';

export interface AdmissionView {
  level: BannerLevel;
  /** Colour of the banner: grey for codes that are not check-ins. */
  tone: 'green' | 'amber' | 'red' | 'grey';
  cue: Cue | null;
  title: string;
  name: string | null;
  detail: string | null;
  reasons: string[];
  actions: GateAction[];
  kind: PayloadKind;
  at: string;
}

/** One verdict reason in words. */
export function reasonText(r: Reason): string {
  switch (r.reason) {
    case 'symptom':
      return t('reason.symptom', { what: t(`symptom.${r.detail}`) });
    case 'exposure':
      return t('reason.exposure', { what: t(`exposureShort.${r.detail}`) });
    case 'not_recognised':
      return t('reason.not_recognised');
    case 'invalid_code':
      return t('reason.invalid_code', { detail: r.detail });
    case 'no_declaration':
      return t('reason.no_declaration');
    case 'declaration_not_today':
      return t('reason.declaration_not_today', { date: formatIsoDate(r.detail) });
    case 'pass_invalid':
      return t('reason.pass_invalid', { what: t(`passProblem.${r.detail}`) });
    case 'in_quarantine':
      return t('reason.in_quarantine', { date: formatIsoDate(r.detail) });
    case 'declared':
      return t('reason.declared', { level: t(`level.${r.detail}`) });
    case 'certificate_invalid':
      return t('reason.certificate_invalid', { what: t(`certReason.${r.detail}`) });
    case 'certificate_rule':
      return t('reason.certificate_rule', { what: ruleText(r.detail) });
    case 'no_trust_list':
      return t('reason.no_trust_list');
  }
}

/** Why an authentic certificate does not meet the venue's rules. */
function ruleText(p: RuleProblem): string {
  switch (p.rule) {
    case 'kind_not_accepted':
      return t('certRule.kind_not_accepted', { kind: t(`certKind.${p.kind}`) });
    case 'incomplete_vaccination':
      return t('certRule.incomplete_vaccination', { dose: p.dose, total: p.total });
    case 'vaccination_too_recent':
      return t('certRule.vaccination_too_recent', { date: formatIsoDate(p.counts_from) });
    case 'vaccination_too_old':
      return t('certRule.vaccination_too_old', { date: formatIsoDate(p.counted_until) });
    case 'recovery_not_valid':
      return t('certRule.recovery_not_valid', { date: formatIsoDate(p.valid_until) });
    case 'recovery_not_yet_valid':
      return t('certRule.recovery_not_yet_valid', { date: formatIsoDate(p.valid_from) });
    case 'test_not_negative':
      return t('certRule.test_not_negative');
    case 'test_too_old':
      return t('certRule.test_too_old', { time: formatDateTime(p.sampled_at) });
    case 'test_in_future':
      return t('certRule.test_in_future', { time: formatDateTime(p.sampled_at) });
  }
}

function notCheckinHint(kind: PayloadKind, damaged: boolean, damagedCard: boolean): string {
  if (damagedCard) return t('gate.notCheckin.damagedCard', { kind: t(`kind.${kind}`) });
  if (damaged) return t('gate.notCheckin.damaged');
  switch (kind) {
    case 'venue':
      return t('gate.notCheckin.venue');
    case 'enroll':
      return t('gate.notCheckin.enroll');
    case 'url':
      return t('gate.notCheckin.url');
    default:
      return t('gate.notCheckin.text');
  }
}

/** The banner for an admission; null for `repeat` (shown as a small note instead). */
export function describeAdmission(a: Admission): AdmissionView | null {
  switch (a.status) {
    case 'repeat':
      return null;
    case 'not_checkin': {
      // problem: "damaged_id_card", "damaged_card" (a health-insurance card or
      // personal QR), "names_no_person", "enrollment_code" (checkin-station gate.rs).
      const damaged = a.problem === 'damaged_id_card';
      const damagedCard = a.problem === 'damaged_card';
      return {
        level: 'none',
        tone: 'grey',
        cue: 'grey',
        title: t('gate.notCheckin'),
        name: null,
        detail: t('gate.notCheckinKind', { kind: t(`kind.${a.kind}`) }),
        reasons: [notCheckinHint(a.kind, damaged, damagedCard)],
        actions: ['manual'],
        kind: a.kind,
        at: a.at,
      };
    }
    case 'pass_refused': {
      const reasons = (a.verdict.reasons ?? []).map(reasonText);
      const own = t(`passProblem.${a.problem}`);
      return {
        level: 'red',
        tone: 'red',
        cue: 'red',
        title: t('gate.passRefused'),
        name: null,
        detail: null,
        reasons: reasons.includes(own) ? reasons : [own, ...reasons],
        actions: a.problem === 'expired' ? ['kiosk', 'paper'] : ['manual'],
        kind: 'pass',
        at: a.at,
      };
    }
    case 'recorded': {
      const reasons = (a.verdict.reasons ?? []).map(reasonText);
      const name = a.person?.name ?? a.pass?.name ?? null;
      const level = a.verdict.level;
      const certificate = a.kind === 'dcc';
      const detail = a.pass
        ? t('gate.passFrom', { date: formatIsoDate(a.pass.declared_on) })
        : certificate
          ? level === 'green' && a.direction === 'in'
            ? `${t('kind.dcc')}: ${t('gate.certificateValid')}`
            : t('kind.dcc')
          : null;
      if (level === 'green') {
        return {
          level,
          tone: 'green',
          cue: 'green',
          title: a.direction === 'out' ? t('gate.greenOut') : t('gate.green'),
          name,
          detail,
          reasons,
          actions: [],
          kind: a.kind,
          at: a.at,
        };
      }
      if (level === 'amber') {
        const noDecl = (a.verdict.reasons ?? []).some(
          (r) => r.reason === 'no_declaration' || r.reason === 'declaration_not_today',
        );
        return {
          level,
          tone: 'amber',
          cue: 'amber',
          title: noDecl ? t('gate.amberNoDecl') : t('gate.amberCheck'),
          name,
          detail,
          reasons: noDecl ? [...reasons, t('gate.amberHint')] : reasons,
          actions: noDecl ? ['kiosk', 'paper'] : [],
          kind: a.kind,
          at: a.at,
        };
      }
      return {
        level: 'red',
        tone: 'red',
        cue: 'red',
        title: t('gate.red'),
        name,
        detail,
        reasons: [...reasons, certificate ? t('gate.certificateRedHint') : t('gate.redHint')],
        actions: [],
        kind: a.kind,
        at: a.at,
      };
    }
  }
}
