/** murmur3's finaliser: a cheap, well-mixed 32-bit hash step. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string seed, so `"demo"` and `42` are both usable seeds. */
export function seedOf(seed: number | string): number {
  if (typeof seed === 'number') return mix32(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/**
 * Stateless randomness: the same (seed, salt, slot, epoch) always gives the same number, so any asset
 * of any scan can be generated on its own, in any order, without replaying the ones before it.
 */
export function hash32(seed: number, salt: number, slot: number, epoch = 0): number {
  let h = mix32(seed ^ Math.imul(salt + 1, 0x9e3779b1));
  h = mix32(h ^ slot);
  h = mix32(h ^ Math.imul(epoch + 1, 0x27d4eb2f));
  return h;
}

/** Uniform in [0, 1). */
export function unit(seed: number, salt: number, slot: number, epoch = 0): number {
  return hash32(seed, salt, slot, epoch) / 4294967296;
}

/** Picks by cumulative weight; weights need not sum to 1. */
export function weighted<T>(choices: readonly (readonly [T, number])[], u: number): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = u * total;
  for (const [choice, weight] of choices) {
    if (threshold < weight) return choice;
    threshold -= weight;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error('weighted: no choices');
  return last[0];
}

export function pick<T>(choices: readonly T[], u: number): T {
  const choice = choices[Math.min(choices.length - 1, Math.floor(u * choices.length))];
  if (choice === undefined) throw new Error('pick: no choices');
  return choice;
}

/** `width` hex digits derived from a hash. */
export function hex(seed: number, salt: number, slot: number, width: number): string {
  let out = '';
  for (let part = 0; out.length < width; part += 1) {
    out += hash32(seed, salt, slot, part).toString(16).padStart(8, '0');
  }
  return out.slice(0, width);
}
