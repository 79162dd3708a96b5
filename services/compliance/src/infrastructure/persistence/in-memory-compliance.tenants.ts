import type { ComplianceTenants, DirtySubject } from '../../application/ports/compliance.store.port';
import { InMemoryComplianceStore } from './in-memory-compliance.store';

/** One in-memory store per organisation, apart as the PostgreSQL adapter keeps them: for unit tests. */
export class InMemoryComplianceTenants implements ComplianceTenants {
  private readonly stores = new Map<string, InMemoryComplianceStore>();

  forOrganisation(organisation: string): InMemoryComplianceStore {
    let store = this.stores.get(organisation);
    if (!store) {
      store = new InMemoryComplianceStore(organisation);
      this.stores.set(organisation, store);
    }
    return store;
  }

  async takeDirty(limit: number): Promise<DirtySubject[]> {
    const taken: DirtySubject[] = [];
    for (const organisation of [...this.stores.keys()].sort()) {
      const store = this.forOrganisation(organisation);
      for (const subject of await store.takeDirty(limit - taken.length)) {
        taken.push({ organisation, ...subject });
      }
    }
    return taken;
  }
}
