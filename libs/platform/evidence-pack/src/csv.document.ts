/** RFC 4180 field: quoted when it holds a comma, quote or line break; objects as JSON. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula; a quote mark defuses it.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An RFC 4180 CSV document (CRLF line ends) with a header row. */
export function csvDocument(headers: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const lines = [headers, ...rows].map((row) => row.map(field).join(','));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
