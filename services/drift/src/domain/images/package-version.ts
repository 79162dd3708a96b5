/**
 * Orders package versions the way dpkg does (`epoch:upstream-revision`, runs of digits compared as
 * numbers, `~` before anything, letters before other characters), which also orders RPM-style
 * `version-release` strings and semantic versions as their ecosystems expect.
 */
export function comparePackageVersions(a: string, b: string): number {
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  if (ea !== eb) return ea < eb ? -1 : 1;
  return compareFragment(ua, ub) || compareFragment(ra, rb);
}

function split(version: string): [number, string, string] {
  const match = /^(\d+):(.*)$/su.exec(version.trim());
  const epoch = match ? Number(match[1]) : 0;
  const rest = match ? (match[2] ?? '') : version.trim();
  const dash = rest.lastIndexOf('-');
  return dash < 0 ? [epoch, rest, ''] : [epoch, rest.slice(0, dash), rest.slice(dash + 1)];
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/u.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefixes, character by character.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ca = i < a.length && !isDigit(a[i]) ? a[i] : undefined;
      const cb = j < b.length && !isDigit(b[j]) ? b[j] : undefined;
      const diff = order(ca) - order(cb);
      if (diff !== 0) return diff < 0 ? -1 : 1;
      if (ca !== undefined) i += 1;
      if (cb !== undefined) j += 1;
    }
    // Digit runs, as numbers.
    let na = '';
    let nb = '';
    while (i < a.length && isDigit(a[i])) na += a.charAt(i++);
    while (j < b.length && isDigit(b[j])) nb += b.charAt(j++);
    const diff = compareDigits(na, nb);
    if (diff !== 0) return diff;
  }
  return 0;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/u, '');
  const y = b.replace(/^0+/u, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
