/** A parent link of the image graph: each version records the image it was built from. */
export interface LineageEdge {
  readonly id: string;
  readonly parentId: string | null;
}

/**
 * Every version built on `rootId`, directly or through other versions, in breadth-first order.
 * Revocations are inherited along these links. A cycle (impossible through the registry, which
 * only links to versions that already exist) cannot loop: each version is visited once.
 */
export function descendantsOf(rootId: string, edges: readonly LineageEdge[]): string[] {
  const children = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.parentId === null) continue;
    const list = children.get(edge.parentId) ?? [];
    list.push(edge.id);
    children.set(edge.parentId, list);
  }
  const found: string[] = [];
  const seen = new Set([rootId]);
  const queue = [rootId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const child of children.get(id) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
