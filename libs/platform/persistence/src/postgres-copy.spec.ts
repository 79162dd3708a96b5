import { copyLinesOf } from './postgres-copy';

describe('COPY text encoding', () => {
  it('spells nulls as \\N and escapes backslashes, tabs and line breaks', () => {
    const lines = [...copyLinesOf([['a\tb', null, 'c\\d', 'e\nf\r', 3, true, '{"k":"v"}']])].join('');
    expect(lines).toBe('a\\tb\t\\N\tc\\\\d\te\\nf\\r\t3\ttrue\t{"k":"v"}\n');
  });

  it('batches many rows into few writes', () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => [String(i)]);
    const batches = [...copyLinesOf(rows)];
    expect(batches).toHaveLength(3);
    expect(batches.join('').split('\n').slice(0, -1)).toEqual(rows.map((r) => r[0]));
  });
});
