CREATE TABLE "fact_sales_store_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"store_id" text NOT NULL,
	"currency" char(3) NOT NULL,
	"source" text NOT NULL,
	"units_ordered" bigint DEFAULT 0 NOT NULL,
	"order_count" bigint DEFAULT 0 NOT NULL,
	"gross_sales" numeric(18, 4) DEFAULT '0' NOT NULL,
	"tax_amount" numeric(18, 4) DEFAULT '0' NOT NULL,
	"promo_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"refund_amount" numeric(18, 4) DEFAULT '0' NOT NULL,
	"units_returned" bigint DEFAULT 0 NOT NULL,
	"platform_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"fulfillment_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"first_leg_cost" numeric(18, 4) DEFAULT '0' NOT NULL,
	"storage_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"cogs" numeric(18, 4) DEFAULT '0' NOT NULL,
	"other_costs" numeric(18, 4) DEFAULT '0' NOT NULL,
	"sessions" bigint,
	"sessions_n" integer DEFAULT 0 NOT NULL,
	"page_views" bigint,
	"page_views_n" integer DEFAULT 0 NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "fact_sales_store_daily_workspace_id_store_id_date_currency_source_pk" PRIMARY KEY("workspace_id","store_id","date","currency","source")
);
--> statement-breakpoint
ALTER TABLE "fact_sales_store_daily" ADD CONSTRAINT "fact_sales_store_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;