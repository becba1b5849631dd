// The signed visitor pass: the QR (an SVG string made by Rust, shown as an
// image from a data: URL so nothing in it can run) with name, declaration
// date and expiry. data-testid="pass", data-pass-text = IssuedPass.text.
import type { IssuedPass } from '../gen';
import { t } from '../i18n';
import { formatDateTime, formatIsoDate } from '../format';

/** The SVG as an image URL (CSP allows data: images). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function PassCard({ pass }: { pass: IssuedPass }) {
  return (
    <div class="pass-card" data-testid="pass" data-pass-text={pass.text} data-level={pass.level}>
      <img src={svgDataUrl(pass.svg)} alt={t('pass.qrAlt')} width={300} height={300} />
      <div>
        <h2>{t('pass.title')}</h2>
        <dl>
          <dt>{t('pass.name')}</dt>
          <dd data-testid="pass-name">{pass.name}</dd>
          <dt>{t('pass.declaredOn')}</dt>
          <dd>{formatIsoDate(pass.declared_on)}</dd>
          <dt>{t('pass.expires')}</dt>
          <dd>{formatDateTime(pass.expires_at)}</dd>
          <dt>{t('pass.level')}</dt>
          <dd>
            <span class={`tag tag-${pass.level}`}>{t(`level.${pass.level}`)}</span>
          </dd>
        </dl>
      </div>
    </div>
  );
}
