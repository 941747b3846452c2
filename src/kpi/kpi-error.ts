/**
 * A KPI question the engine refuses: names the field at fault and, where there is one, the
 * closest valid name. REST turns it into a 400 `{error, message, field}`, chat into a hint.
 */
export class KpiError extends Error {
  readonly code = 'invalid_kpi_query';
  constructor(
    message: string,
    readonly field: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}
