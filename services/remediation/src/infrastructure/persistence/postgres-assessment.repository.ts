import type { EntityManager } from 'typeorm';
import type {
  AssessmentRepository,
  RiskOverride,
  StoredAssessment,
} from '../../application/ports/assessment.repository.port';

interface AssessmentRow {
  id: string;
  organisation: string;
  target: StoredAssessment['target'];
  factors: StoredAssessment['factors'];
  weights: StoredAssessment['weights'];
  compliance_impact: number;
  base_score: number;
  adjustments: StoredAssessment['adjustments'];
  score: number;
  autonomy_level: number;
  strategy: StoredAssessment['strategy'];
  timing: {
    window: StoredAssessment['timing']['window'];
    notBefore: string;
    notAfter?: string;
    maintenanceWindowId?: string;
  };
  reasoning: string[];
  model: StoredAssessment['model'];
  assessed_at: Date;
}

interface OverrideRow {
  id: string;
  assessment_id: string;
  autonomy_level: number;
  strategy: RiskOverride['strategy'];
  reason: string;
  overridden_by: RiskOverride['overriddenBy'];
  overridden_at: Date;
}

/** Every assessment with the inputs it was computed from, and the overrides people made of it. */
export class PostgresAssessmentRepository implements AssessmentRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(a: StoredAssessment): Promise<void> {
    await this.manager.query(
      `INSERT INTO risk_assessments (id, target, factors, weights, compliance_impact, base_score, adjustments, score,
         autonomy_level, strategy, timing, reasoning, model, assessed_at, organisation)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
      [
        a.id,
        JSON.stringify(a.target),
        JSON.stringify(a.factors),
        JSON.stringify(a.weights),
        a.complianceImpact,
        a.baseScore,
        JSON.stringify(a.adjustments),
        a.score,
        a.autonomyLevel,
        a.strategy,
        JSON.stringify(a.timing),
        JSON.stringify(a.reasoning),
        JSON.stringify(a.model),
        a.assessedAt,
        a.organisation,
      ],
    );
  }

  async get(organisation: string, id: string): Promise<StoredAssessment | undefined> {
    const [r] = await this.manager.query<AssessmentRow[]>(
      'SELECT * FROM risk_assessments WHERE id = $1 AND organisation = $2',
      [id, organisation],
    );
    if (!r) return undefined;
    return {
      id: r.id,
      organisation: r.organisation,
      target: r.target,
      factors: r.factors,
      weights: r.weights,
      complianceImpact: r.compliance_impact,
      baseScore: r.base_score,
      adjustments: r.adjustments,
      score: r.score,
      autonomyLevel: r.autonomy_level as StoredAssessment['autonomyLevel'],
      strategy: r.strategy,
      timing: {
        window: r.timing.window,
        notBefore: new Date(r.timing.notBefore),
        ...(r.timing.notAfter ? { notAfter: new Date(r.timing.notAfter) } : {}),
        ...(r.timing.maintenanceWindowId ? { maintenanceWindowId: r.timing.maintenanceWindowId } : {}),
      },
      reasoning: r.reasoning,
      model: r.model,
      assessedAt: r.assessed_at,
    };
  }

  async organisationOf(id: string): Promise<string | undefined> {
    const [row] = await this.manager.query<{ organisation: string }[]>(
      'SELECT organisation FROM risk_assessments WHERE id = $1',
      [id],
    );
    return row?.organisation;
  }

  async addOverride(o: RiskOverride): Promise<void> {
    await this.manager.query(
      `INSERT INTO risk_overrides (id, assessment_id, autonomy_level, strategy, reason, overridden_by, overridden_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [
        o.id,
        o.assessmentId,
        o.autonomyLevel,
        o.strategy,
        o.reason,
        JSON.stringify(o.overriddenBy),
        o.overriddenAt,
      ],
    );
  }

  async overrides(assessmentId: string): Promise<RiskOverride[]> {
    const rows = await this.manager.query<OverrideRow[]>(
      'SELECT * FROM risk_overrides WHERE assessment_id = $1 ORDER BY overridden_at',
      [assessmentId],
    );
    return rows.map((r) => ({
      id: r.id,
      assessmentId: r.assessment_id,
      autonomyLevel: r.autonomy_level as RiskOverride['autonomyLevel'],
      strategy: r.strategy,
      reason: r.reason,
      overriddenBy: r.overridden_by,
      overriddenAt: r.overridden_at,
    }));
  }
}
