/**
 * A data-modifying CTE body (for the statement that marks a due paid, in one round trip) moving a
 * policy one billing period past a paid due: paid-to date and next due date forward, grace back to
 * active. Parameters: `$p` policy id, `$p+1` the due date, `$p+2` the period (interval), `$p+3` now.
 * Returns paid_to_date, next_due_date, status.
 */
export const advancePaidToSql = (p: number): string => `
  update policies set
    paid_to_date = greatest(coalesce(paid_to_date, $${p + 1}::date), ($${p + 1}::date + $${p + 2}::interval)::date),
    next_due_date = case when next_due_date is null or next_due_date <= $${p + 1}::date then ($${p + 1}::date + $${p + 2}::interval)::date else next_due_date end,
    status = case when status = 'grace' then 'active' else status end,
    updated_at = $${p + 3}
  where id = $${p} returning paid_to_date, next_due_date, status`;
