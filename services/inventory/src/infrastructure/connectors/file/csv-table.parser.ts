export interface CsvRow {
  /** 1-based line on which the row starts (a quoted cell may span lines). */
  readonly line: number;
  readonly cells: readonly string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** RFC 4180 CSV: comma-separated, `"`-quoted cells with `""` escapes, CRLF or LF, blank lines skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let rowLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let cellWasQuoted = false;

  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !cellWasQuoted)) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    cellWasQuoted = false;
  };

  for (let i = 0; i < source.length; i += 1) {
    const ch = source.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (source.charAt(i + 1) === '"') {
          cell += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    switch (ch) {
      case '"':
        if (cell.length > 0 || cellWasQuoted) throw new CsvSyntaxError(line, 'a quote may only open a cell');
        quoted = true;
        cellWasQuoted = true;
        break;
      case ',':
        cells.push(cell);
        cell = '';
        cellWasQuoted = false;
        break;
      case '\r':
        if (source.charAt(i + 1) !== '\n')
          throw new CsvSyntaxError(line, 'a carriage return must end a line');
        break;
      case '\n':
        endRow();
        line += 1;
        rowLine = line;
        break;
      default:
        if (cellWasQuoted) throw new CsvSyntaxError(line, 'text after a closing quote');
        cell += ch;
    }
  }
  if (quoted) throw new CsvSyntaxError(rowLine, 'a quoted cell is never closed');
  if (cell.length > 0 || cells.length > 0 || cellWasQuoted) endRow();
  return rows;
}
