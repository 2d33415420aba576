// When two open breaks are likely the two halves of one payment, as SQL: the
// rule counterparts.ts lists by, and the workbench's mark and filter test.
/**
 * SQL: break `o` is a likely other half of break `b` (aliases of recon_break). Both
 * open; one has a record on the ledger side only (医保单边, 在途), the other on the
 * other side only (对方单边); the same kind, ID number and amount. The detail's list
 * and the grid's mark and filter all use this one condition.
 */
export function pairedWith(b: string, o: string): string {
  return `${o}.kind = ${b}.kind AND ${o}.certno = ${b}.certno AND ${o}.status = 'open' AND ${b}.status = 'open' AND ${o}.id <> ${b}.id AND (
    (${b}.type IN ('LEDGER_ONLY', 'IN_TRANSIT') AND ${o}.type = 'EXTERNAL_ONLY' AND ${o}.amount_external = ${b}.amount_ledger)
    OR (${b}.type = 'EXTERNAL_ONLY' AND ${o}.type IN ('LEDGER_ONLY', 'IN_TRANSIT') AND ${o}.amount_ledger = ${b}.amount_external))`;
}

/** SQL for a query over recon_break (unaliased): whether the row has a likely other half. */
export const HAS_PAIR = `EXISTS (SELECT 1 FROM recon_break pair WHERE ${pairedWith('recon_break', 'pair')})`;
