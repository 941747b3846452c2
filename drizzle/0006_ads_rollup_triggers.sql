-- Keeps fact_ads_store_daily exact the same way drizzle/0004 keeps the sales rollup: statement-level
-- triggers with transition tables add inserted rows and subtract deleted ones (an update does both, through two triggers).

INSERT INTO fact_ads_store_daily (workspace_id, date, store_id, currency, source, impressions, clicks, spend, attributed_sales, attributed_orders, attributed_units, row_count)
  SELECT workspace_id, date, store_id, currency, source, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(spend) AS spend, sum(attributed_sales) AS attributed_sales, sum(attributed_orders) AS attributed_orders, sum(attributed_units) AS attributed_units, count(*)::int AS row_count FROM fact_ads_daily GROUP BY workspace_id, date, store_id, currency, source;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpibot_ads_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO fact_ads_store_daily AS r (workspace_id, date, store_id, currency, source, impressions, clicks, spend, attributed_sales, attributed_orders, attributed_units, row_count)
    SELECT workspace_id, date, store_id, currency, source, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(spend) AS spend, sum(attributed_sales) AS attributed_sales, sum(attributed_orders) AS attributed_orders, sum(attributed_units) AS attributed_units, count(*)::int AS row_count FROM new_rows GROUP BY workspace_id, date, store_id, currency, source
  ON CONFLICT (workspace_id, store_id, date, currency, source) DO UPDATE SET
      impressions = r.impressions + excluded.impressions,
      clicks = r.clicks + excluded.clicks,
      spend = r.spend + excluded.spend,
      attributed_sales = r.attributed_sales + excluded.attributed_sales,
      attributed_orders = r.attributed_orders + excluded.attributed_orders,
      attributed_units = r.attributed_units + excluded.attributed_units,
      row_count = r.row_count + excluded.row_count;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpibot_ads_rollup_sub() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fact_ads_store_daily AS r SET
      impressions = r.impressions - o.impressions,
      clicks = r.clicks - o.clicks,
      spend = r.spend - o.spend,
      attributed_sales = r.attributed_sales - o.attributed_sales,
      attributed_orders = r.attributed_orders - o.attributed_orders,
      attributed_units = r.attributed_units - o.attributed_units,
      row_count = r.row_count - o.row_count
    FROM (SELECT workspace_id, date, store_id, currency, source, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(spend) AS spend, sum(attributed_sales) AS attributed_sales, sum(attributed_orders) AS attributed_orders, sum(attributed_units) AS attributed_units, count(*)::int AS row_count FROM old_rows GROUP BY workspace_id, date, store_id, currency, source) AS o
    WHERE r.workspace_id = o.workspace_id AND r.store_id = o.store_id AND r.date = o.date AND r.currency = o.currency AND r.source = o.source;
  DELETE FROM fact_ads_store_daily r WHERE r.row_count <= 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER fact_ads_rollup_insert AFTER INSERT ON fact_ads_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_ads_rollup_add();
--> statement-breakpoint
-- An update subtracts the old rows and adds the new ones: two triggers, in either order the sums agree.
CREATE TRIGGER fact_ads_rollup_update_old AFTER UPDATE ON fact_ads_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_ads_rollup_sub();
--> statement-breakpoint
CREATE TRIGGER fact_ads_rollup_update_new AFTER UPDATE ON fact_ads_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_ads_rollup_add();
--> statement-breakpoint
CREATE TRIGGER fact_ads_rollup_delete AFTER DELETE ON fact_ads_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpibot_ads_rollup_sub();
