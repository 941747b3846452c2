CREATE TABLE "fact_ads_store_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"store_id" text NOT NULL,
	"currency" char(3) NOT NULL,
	"source" text NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"spend" numeric(18, 4) DEFAULT '0' NOT NULL,
	"attributed_sales" numeric(18, 4) DEFAULT '0' NOT NULL,
	"attributed_orders" bigint DEFAULT 0 NOT NULL,
	"attributed_units" bigint DEFAULT 0 NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "fact_ads_store_daily_workspace_id_store_id_date_currency_source_pk" PRIMARY KEY("workspace_id","store_id","date","currency","source")
);
--> statement-breakpoint
ALTER TABLE "fact_ads_store_daily" ADD CONSTRAINT "fact_ads_store_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;