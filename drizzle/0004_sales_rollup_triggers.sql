-- Keeps fact_sales_store_daily exact: statement-level triggers with transition tables add the
-- inserted rows and subtract the deleted ones (an update does both, through two triggers), in the writer's transaction.
-- Statement level, so a 5,000-row bulk insert costs one grouped upsert, not 5,000 row triggers.

-- Rows that existed before this migration.
INSERT INTO fact_sales_store_daily (workspace_id, date, store_id, currency, source, units_ordered, order_count, units_returned, gross_sales, tax_amount, promo_fees, refund_amount, platform_fees, fulfillment_fees, first_leg_cost, storage_fees, cogs, other_costs, sessions, sessions_n, page_views, page_views_n, row_count)
  SELECT workspace_id, date, store_id, currency, source, sum(units_ordered), sum(order_count), sum(units_returned), sum(gross_sales), sum(tax_amount), sum(promo_fees), sum(refund_amount), sum(platform_fees), sum(fulfillment_fees), sum(first_leg_cost), sum(storage_fees), sum(cogs), sum(coalesce(other_costs, 0)), sum(sessions), count(sessions)::int, sum(page_views), count(page_views)::int, count(*)::int
    FROM fact_sales_daily GROUP BY workspace_id, date, store_id, currency, source;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpibot_sales_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO fact_sales_store_daily AS r (workspace_id, date, store_id, currency, source, units_ordered, order_count, units_returned, gross_sales, tax_amount, promo_fees, refund_amount, platform_fees, fulfillment_fees, first_leg_cost, storage_fees, cogs, other_costs, sessions, sessions_n, page_views, page_views_n, row_count)
    SELECT workspace_id, date, store_id, currency, source, sum(units_ordered), sum(order_count), sum(units_returned), sum(gross_sales), sum(tax_amount), sum(promo_fees), sum(refund_amount), sum(platform_fees), sum(fulfillment_fees), sum(first_leg_cost), sum(storage_fees), sum(cogs), sum(coalesce(other_costs, 0)), sum(sessions), count(sessions)::int, sum(page_views), count(page_views)::int, count(*)::int
    FROM new_rows GROUP BY workspace_id, date, store_id, currency, source
  ON CONFLICT (workspace_id, store_id, date, currency, source) DO UPDATE SET
      units_ordered = r.units_ordered + excluded.units_ordered,
      order_count = r.order_count + excluded.order_count,
      units_returned = r.units_returned + excluded.units_returned,
      gross_sales = r.gross_sales + excluded.gross_sales,
      tax_amount = r.tax_amount + excluded.tax_amount,
      promo_fees = r.promo_fees + excluded.promo_fees,
      refund_amount = r.refund_amount + excluded.refund_amount,
      platform_fees = r.platform_fees + excluded.platform_fees,
      fulfillment_fees = r.fulfillment_fees + excluded.fulfillment_fees,
      first_leg_cost = r.first_leg_cost + excluded.first_leg_cost,
      storage_fees = r.storage_fees + excluded.storage_fees,
      cogs = r.cogs + excluded.cogs,
      other_costs = r.other_costs + excluded.other_costs,
      sessions = CASE WHEN r.sessions IS NULL AND excluded.sessions IS NULL THEN NULL ELSE coalesce(r.sessions, 0) + coalesce(excluded.sessions, 0) END,
      sessions_n = r.sessions_n + excluded.sessions_n,
      page_views = CASE WHEN r.page_views IS NULL AND excluded.page_views IS NULL THEN NULL ELSE coalesce(r.page_views, 0) + coalesce(excluded.page_views, 0) END,
      page_views_n = r.page_views_n + excluded.page_views_n,
      row_count = r.row_count + excluded.row_count;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpibot_sales_rollup_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fact_sales_store_daily AS r SET
      units_ordered = r.units_ordered - o.units_ordered,
      order_count = r.order_count - o.order_count,
      units_returned = r.units_returned - o.units_returned,
      gross_sales = r.gross_sales - o.gross_sales,
      tax_amount = r.tax_amount - o.tax_amount,
      promo_fees = r.promo_fees - o.promo_fees,
      refund_amount = r.refund_amount - o.refund_amount,
      platform_fees = r.platform_fees - o.platform_fees,
      fulfillment_fees = r.fulfillment_fees - o.fulfillment_fees,
      first_leg_cost = r.first_leg_cost - o.first_leg_cost,
      storage_fees = r.storage_fees - o.storage_fees,
      cogs = r.cogs - o.cogs,
      other_costs = r.other_costs - o.other_costs,
      sessions = CASE WHEN r.sessions_n - o.sessions_n = 0 THEN NULL ELSE r.sessions - coalesce(o.sessions, 0) END,
      sessions_n = r.sessions_n - o.sessions_n,
      page_views = CASE WHEN r.page_views_n - o.page_views_n = 0 THEN NULL ELSE r.page_views - coalesce(o.page_views, 0) END,
      page_views_n = r.page_views_n - o.page_views_n,
      row_count = r.row_count - o.row_count
    FROM (SELECT workspace_id, date, store_id, currency, source, sum(units_ordered) AS units_ordered, sum(order_count) AS order_count, sum(units_returned) AS units_returned, sum(gross_sales) AS gross_sales, sum(tax_amount) AS tax_amount, sum(promo_fees) AS promo_fees, sum(refund_amount) AS refund_amount, sum(platform_fees) AS platform_fees, sum(fulfillment_fees) AS fulfillment_fees, sum(first_leg_cost) AS first_leg_cost, sum(storage_fees) AS storage_fees, sum(cogs) AS cogs, sum(coalesce(other_costs, 0)) AS other_costs, sum(sessions) AS sessions, count(sessions)::int AS sessions_n, sum(page_views) AS page_views, count(page_views)::int AS page_views_n, count(*)::int AS row_count
    FROM old_rows GROUP BY workspace_id, date, store_id, currency, source) AS o
    WHERE r.workspace_id = o.workspace_id AND r.store_id = o.store_id AND r.date = o.date AND r.currency = o.currency AND r.source = o.source;
  DELETE FROM fact_sales_store_daily r WHERE r.row_count <= 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER fact_sales_rollup_insert AFTER INSERT ON fact_sales_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_sales_rollup_add();
--> statement-breakpoint
-- An update subtracts the old rows and adds the new ones: two triggers, in either order the sums agree.
CREATE TRIGGER fact_sales_rollup_update_old AFTER UPDATE ON fact_sales_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_sales_rollup_sub();
--> statement-breakpoint
CREATE TRIGGER fact_sales_rollup_update_new AFTER UPDATE ON fact_sales_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_sales_rollup_add();
--> statement-breakpoint
CREATE TRIGGER fact_sales_rollup_delete AFTER DELETE ON fact_sales_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_sales_rollup_sub();
