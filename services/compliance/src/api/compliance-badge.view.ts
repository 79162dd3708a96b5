import type { ComplianceBadge } from '../domain/scoring/control-evaluation';

const COLOURS: Readonly<Record<ComplianceBadge, string>> = {
  compliant: '#4c1',
  at_risk: '#dfb317',
  non_compliant: '#e05d44',
};

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** shields.io endpoint JSON, so a README can show the badge through shields.io too. */
export function badgeJson(score: number, badge: ComplianceBadge, target: number) {
  return {
    schemaVersion: 1,
    label: 'compliance',
    message: `${Math.round(score * 100)}% (target ${Math.round(target * 100)}%)`,
    color: COLOURS[badge].replace('#', ''),
  };
}

/** A flat shields-style SVG badge; widths from a fixed per-character estimate, as shields does. */
export function badgeSvg(score: number, badge: ComplianceBadge, target: number): string {
  const label = 'compliance';
  const message = `${Math.round(score * 100)}% / ${Math.round(target * 100)}%`;
  const lw = 6 * label.length + 10;
  const mw = 7 * message.length + 10;
  const w = lw + mw;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${escapeXml(message)}">` +
    `<title>${label}: ${escapeXml(message)} (${badge.replace('_', ' ')})</title>` +
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${COLOURS[badge]}"/>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${label}</text><text x="${lw + mw / 2}" y="14">${escapeXml(message)}</text></g></svg>\n`
  );
}
