CREATE SEQUENCE "public"."console_messages_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "platform_tenants" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text,
	"bound_by" text DEFAULT 'auto' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_tenants_platform_tenant_key_pk" PRIMARY KEY("platform","tenant_key")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"currency" text NOT NULL,
	"locale" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"demo_anchor" date,
	"demo_seed" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"role" text NOT NULL,
	"team_id" text,
	"user_id" text,
	"name" text,
	"secret_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "chat_identities" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"platform_user_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text,
	"union_id" text,
	"display_name" text,
	"is_external" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_identities_platform_tenant_key_platform_user_id_pk" PRIMARY KEY("platform","tenant_key","platform_user_id")
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"chat_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"team_id" text,
	"title" text,
	"locale" text,
	"timezone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chats_platform_tenant_key_chat_id_pk" PRIMARY KEY("platform","tenant_key","chat_id")
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "role_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"team_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"parent_team_id" text,
	"timezone" text,
	"working_hours" jsonb,
	"holiday_calendar" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"name_en" text,
	"team_id" text,
	"position" text,
	"timezone" text,
	"locale" text,
	"email" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "ad_groups" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_platform" text NOT NULL,
	"store_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'enabled' NOT NULL,
	"budget" numeric(18, 4),
	"budget_period" text,
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_groups_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"ad_platform" text NOT NULL,
	"store_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'enabled' NOT NULL,
	"budget" numeric(18, 4),
	"budget_period" text,
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"parent_id" text,
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "content_items" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"platform" text NOT NULL,
	"title" text,
	"url" text,
	"store_id" text,
	"creator_id" text,
	"owner_user_id" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"ready_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"sku_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_items_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "creators" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"platform" text,
	"handle" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "creators_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "marketplaces" (
	"workspace_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"region" text NOT NULL,
	"default_timezone" text NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marketplaces_workspace_id_code_pk" PRIMARY KEY("workspace_id","code")
);
--> statement-breakpoint
CREATE TABLE "ownership" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ownership_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" text NOT NULL,
	"user_id" text NOT NULL,
	"share" numeric(5, 4) DEFAULT '1' NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ownership_share_range" CHECK ("ownership"."share" > 0 and "ownership"."share" <= 1),
	CONSTRAINT "ownership_valid_range" CHECK ("ownership"."valid_to" is null or "ownership"."valid_to" > "ownership"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "skus" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"store_id" text,
	"parent_id" text,
	"name" text NOT NULL,
	"category_id" text,
	"launch_date" date,
	"lifecycle_stage" text,
	"lead_time_days" integer,
	"target_cover_days" integer,
	"unit_cost" numeric(18, 4),
	"currency" char(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skus_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "skus_cost_has_currency" CHECK ("skus"."unit_cost" is null or "skus"."currency" is not null)
);
--> statement-breakpoint
CREATE TABLE "stores" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"platform" text NOT NULL,
	"marketplace" text NOT NULL,
	"region" text,
	"currency" char(3) NOT NULL,
	"timezone" text NOT NULL,
	"channel" text DEFAULT 'marketplace' NOT NULL,
	"team_id" text,
	"opened_on" date,
	"maturity" text,
	"prices_include_tax" boolean DEFAULT false NOT NULL,
	"tax_rate" numeric(6, 4),
	"data_source_notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stores_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"store_id" text,
	"capacity_m3" numeric(12, 3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warehouses_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "fact_ads_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"store_id" text NOT NULL,
	"ad_platform" text NOT NULL,
	"campaign_id" text NOT NULL,
	"ad_group_id" text,
	"sku_id" text,
	"impressions" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"spend" numeric(18, 4) DEFAULT '0' NOT NULL,
	"attributed_sales" numeric(18, 4) DEFAULT '0' NOT NULL,
	"attributed_orders" integer DEFAULT 0 NOT NULL,
	"attributed_units" integer DEFAULT 0 NOT NULL,
	"attribution_window_days" smallint,
	"currency" char(3) NOT NULL,
	"account_timezone" text,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_ads_daily_natural_key" UNIQUE NULLS NOT DISTINCT("workspace_id","date","store_id","ad_platform","campaign_id","ad_group_id","sku_id","source")
);
--> statement-breakpoint
CREATE TABLE "fact_content_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"content_id" text NOT NULL,
	"store_id" text,
	"creator_id" text,
	"owner_user_id" text,
	"content_type" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"viewers" integer,
	"completions" integer,
	"likes" integer DEFAULT 0 NOT NULL,
	"comments" integer DEFAULT 0 NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL,
	"followers_gained" integer DEFAULT 0 NOT NULL,
	"product_clicks" integer DEFAULT 0 NOT NULL,
	"attributed_orders" integer DEFAULT 0 NOT NULL,
	"attributed_gmv" numeric(18, 4) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"live_minutes" integer,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_content_daily_natural_key" UNIQUE("workspace_id","content_id","date","source")
);
--> statement-breakpoint
CREATE TABLE "fact_inventory_daily" (
	"workspace_id" text NOT NULL,
	"snapshot_date" date NOT NULL,
	"store_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text,
	"on_hand_units" integer DEFAULT 0 NOT NULL,
	"reserved_units" integer DEFAULT 0 NOT NULL,
	"unfulfillable_units" integer DEFAULT 0 NOT NULL,
	"inbound_units" integer DEFAULT 0 NOT NULL,
	"age_0_30" integer,
	"age_31_60" integer,
	"age_61_90" integer,
	"age_91_180" integer,
	"age_181_365" integer,
	"age_365_plus" integer,
	"unit_cost" numeric(18, 4),
	"currency" char(3) NOT NULL,
	"volume_m3" numeric(14, 4),
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_inventory_daily_natural_key" UNIQUE NULLS NOT DISTINCT("workspace_id","snapshot_date","store_id","sku_id","warehouse_id","source")
);
--> statement-breakpoint
CREATE TABLE "fact_refund_lines" (
	"workspace_id" text NOT NULL,
	"store_id" text NOT NULL,
	"refund_line_id" text NOT NULL,
	"order_id" text,
	"sku_id" text NOT NULL,
	"refund_date" date NOT NULL,
	"order_date" date,
	"units" integer DEFAULT 0 NOT NULL,
	"amount" numeric(18, 4) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"reason" text,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_refund_lines_natural_key" UNIQUE("workspace_id","store_id","refund_line_id","source")
);
--> statement-breakpoint
CREATE TABLE "fact_sales_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"store_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"fulfillment_channel" text NOT NULL,
	"units_ordered" integer DEFAULT 0 NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"gross_sales" numeric(18, 4) DEFAULT '0' NOT NULL,
	"tax_amount" numeric(18, 4) DEFAULT '0' NOT NULL,
	"promo_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"refund_amount" numeric(18, 4) DEFAULT '0' NOT NULL,
	"units_returned" integer DEFAULT 0 NOT NULL,
	"platform_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"fulfillment_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"first_leg_cost" numeric(18, 4) DEFAULT '0' NOT NULL,
	"storage_fees" numeric(18, 4) DEFAULT '0' NOT NULL,
	"cogs" numeric(18, 4) DEFAULT '0' NOT NULL,
	"other_costs" numeric(18, 4),
	"sessions" integer,
	"page_views" integer,
	"currency" char(3) NOT NULL,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_sales_daily_natural_key" UNIQUE("workspace_id","date","store_id","sku_id","fulfillment_channel","source")
);
--> statement-breakpoint
CREATE TABLE "fact_service_daily" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"store_id" text NOT NULL,
	"orders_distinct" integer DEFAULT 0 NOT NULL,
	"cancelled_by_seller" integer DEFAULT 0 NOT NULL,
	"defect_orders" integer DEFAULT 0 NOT NULL,
	"orders_shipped" integer DEFAULT 0 NOT NULL,
	"shipped_late" integer DEFAULT 0 NOT NULL,
	"return_requests" integer DEFAULT 0 NOT NULL,
	"threads_received" integer DEFAULT 0 NOT NULL,
	"threads_first_responded" integer DEFAULT 0 NOT NULL,
	"responded_within_24h" integer DEFAULT 0 NOT NULL,
	"first_response_minutes_sum" numeric(14, 4) DEFAULT '0' NOT NULL,
	"negative_reviews" integer DEFAULT 0 NOT NULL,
	"negative_reviews_handled" integer DEFAULT 0 NOT NULL,
	"neg_review_handle_hours_sum" numeric(14, 4) DEFAULT '0' NOT NULL,
	"rating_sum" numeric(14, 4) DEFAULT '0' NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"csat_positive" integer,
	"csat_responses" integer,
	"nps_promoters" integer,
	"nps_detractors" integer,
	"nps_responses" integer,
	"policy_violations" integer DEFAULT 0 NOT NULL,
	"account_health_value" numeric(12, 4),
	"account_health_scale" text,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_service_daily_natural_key" UNIQUE("workspace_id","store_id","date","source")
);
--> statement-breakpoint
CREATE TABLE "fact_team_events" (
	"workspace_id" text NOT NULL,
	"event_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"team_id" text,
	"event_type" text NOT NULL,
	"store_id" text,
	"sku_id" text,
	"ad_group_id" text,
	"creator_id" text,
	"task_id" text,
	"value" numeric(14, 4),
	"due_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"event_source" text,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_team_events_natural_key" UNIQUE("workspace_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "budget_fx_rates" (
	"workspace_id" text NOT NULL,
	"period_id" text NOT NULL,
	"from_ccy" char(3) NOT NULL,
	"to_ccy" char(3) NOT NULL,
	"rate" numeric(18, 8) NOT NULL,
	"set_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_fx_rates_workspace_id_period_id_from_ccy_to_ccy_pk" PRIMARY KEY("workspace_id","period_id","from_ccy","to_ccy")
);
--> statement-breakpoint
CREATE TABLE "custom_metrics" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"formula" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_metrics_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"workspace_id" text NOT NULL,
	"date" date NOT NULL,
	"from_ccy" char(3) NOT NULL,
	"to_ccy" char(3) NOT NULL,
	"rate" numeric(18, 8) NOT NULL,
	"source" text NOT NULL,
	"sync_run_id" bigint,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_workspace_id_from_ccy_to_ccy_date_pk" PRIMARY KEY("workspace_id","from_ccy","to_ccy","date")
);
--> statement-breakpoint
CREATE TABLE "season_calendar" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "season_calendar_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"pace_weight" numeric(6, 3) DEFAULT '1' NOT NULL,
	"threshold_multipliers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"lead_in_days" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "season_calendar_natural_key" UNIQUE("workspace_id","scope_type","scope_id","kind","name","start_date"),
	CONSTRAINT "season_calendar_dates" CHECK ("season_calendar"."end_date" >= "season_calendar"."start_date")
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"store_id" text,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credentials_encrypted" text,
	"cadence" text DEFAULT 'daily' NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_error_code" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connectors_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "source_priorities" (
	"workspace_id" text NOT NULL,
	"store_id" text NOT NULL,
	"dataset" text NOT NULL,
	"primary_source" text NOT NULL,
	"switched_by" text NOT NULL,
	"switched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_priorities_workspace_id_store_id_dataset_pk" PRIMARY KEY("workspace_id","store_id","dataset")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"dataset" text NOT NULL,
	"source" text NOT NULL,
	"connector_id" text,
	"store_id" text,
	"coverage" jsonb,
	"status" text DEFAULT 'running' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"file_name" text,
	"file_hash" text,
	"rows_accepted" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"data_from_date" date,
	"data_through_date" date,
	"error_code" text,
	"error_message" text,
	"requested_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "goal_adjustments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_adjustments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"goal_id" bigint NOT NULL,
	"request_id" bigint,
	"status" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason_code" text NOT NULL,
	"note" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"approved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_adjustments_force_majeure_note" CHECK ("goal_adjustments"."reason_code" <> 'force_majeure' or "goal_adjustments"."note" is not null)
);
--> statement-breakpoint
CREATE TABLE "goal_evaluations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_evaluations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"goal_id" bigint NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"as_of" date NOT NULL,
	"actual" numeric,
	"expected" numeric,
	"elapsed_share" numeric(7, 6),
	"achievement" numeric,
	"pace" numeric,
	"projection" numeric,
	"rag" text NOT NULL,
	"grey_reason" text
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"metric_id" text NOT NULL,
	"scope_level" text NOT NULL,
	"scope_id" text,
	"parent_goal_id" bigint,
	"owner_user_id" text NOT NULL,
	"contributors" text[] DEFAULT '{}'::text[] NOT NULL,
	"period_id" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"target" numeric,
	"band_lo" numeric,
	"band_hi" numeric,
	"currency" char(3),
	"fx_mode" text DEFAULT 'store' NOT NULL,
	"stage" text,
	"seasonality_profile" text DEFAULT 'flat' NOT NULL,
	"derived" boolean DEFAULT false NOT NULL,
	"excluded_ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"excluded_from_score" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"rag" text,
	"pending_rag" text,
	"pending_count" smallint DEFAULT 0 NOT NULL,
	"last_announced_rag" text,
	"last_announced_at" timestamp with time zone,
	"last_evaluated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_target_or_band" CHECK ("goals"."target" is not null or ("goals"."band_lo" is not null and "goals"."band_hi" is not null)),
	CONSTRAINT "goals_period" CHECK ("goals"."period_end" >= "goals"."period_start")
);
--> statement-breakpoint
CREATE TABLE "month_closes" (
	"workspace_id" text NOT NULL,
	"month" text NOT NULL,
	"state" text DEFAULT 'preliminary' NOT NULL,
	"team_sign_offs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"signed_off_by" text,
	"final_at" timestamp with time zone,
	"locked_at" timestamp with time zone,
	"reopened_by" text,
	"reopen_reason" text,
	"reopened_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "month_closes_workspace_id_month_pk" PRIMARY KEY("workspace_id","month")
);
--> statement-breakpoint
CREATE TABLE "score_templates" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"position" text NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"default_cap" numeric(4, 2) DEFAULT '1.2' NOT NULL,
	"veto_cap" numeric(5, 2) DEFAULT '60' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_templates_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "score_templates_position" UNIQUE("workspace_id","position")
);
--> statement-breakpoint
CREATE TABLE "scores" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scores_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"month" text NOT NULL,
	"template_id" text,
	"status" text DEFAULT 'preliminary' NOT NULL,
	"score" numeric(6, 2),
	"grade" text,
	"breakdown" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"veto" boolean DEFAULT false NOT NULL,
	"veto_reason" text,
	"recomputed_score" numeric(6, 2),
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"reopened_by" text,
	"reopen_reason" text,
	"reopened_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scores_user_month" UNIQUE("workspace_id","user_id","month")
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"key" text,
	"name" text,
	"type" text NOT NULL,
	"metric_id" text,
	"condition" jsonb,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_days" smallint DEFAULT 7 NOT NULL,
	"min_sample" numeric,
	"severity" text DEFAULT 'warning' NOT NULL,
	"escalate_after_minutes" integer DEFAULT 240 NOT NULL,
	"quiet_hours" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"rule_id" bigint,
	"type" text NOT NULL,
	"metric_id" text,
	"scope_key" text NOT NULL,
	"team_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"value" numeric,
	"threshold" numeric,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"acknowledged_by_name" text,
	"ack_cause" text,
	"ack_note" text,
	"snoozed_until" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"last_notified_at" timestamp with time zone,
	"last_notified_severity" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followups" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "followups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"assignee_user_id" text NOT NULL,
	"created_by" text NOT NULL,
	"due_on" date,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"alert_id" bigint,
	"chat" jsonb,
	"reminded_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_dedup" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text,
	"seq" bigint DEFAULT nextval('console_messages_seq') NOT NULL,
	"chat_id" text NOT NULL,
	"user_id" text,
	"text" text,
	"card" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"platform" text NOT NULL,
	"kind" text NOT NULL,
	"target" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"message_ref" jsonb,
	"update_of" bigint,
	"priority" smallint DEFAULT 50 NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"last_error_code" text,
	"last_error" text,
	"idempotency_key" text,
	"source_type" text,
	"source_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inbound_dedup" (
	"platform" text NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_dedup_platform_event_id_pk" PRIMARY KEY("platform","event_id")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"chat_id" text NOT NULL,
	"kind" text NOT NULL,
	"time" text NOT NULL,
	"timezone" text,
	"team_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job_id" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"node" text NOT NULL,
	"error" text,
	CONSTRAINT "job_runs_job_id_slot_pk" PRIMARY KEY("job_id","slot")
);
--> statement-breakpoint
ALTER TABLE "platform_tenants" ADD CONSTRAINT "platform_tenants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_workspace_id_user_id_users_workspace_id_id_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_workspace_id_parent_team_id_teams_workspace_id_id_fk" FOREIGN KEY ("workspace_id","parent_team_id") REFERENCES "public"."teams"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_team_id_teams_workspace_id_id_fk" FOREIGN KEY ("workspace_id","team_id") REFERENCES "public"."teams"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_groups" ADD CONSTRAINT "ad_groups_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ad_groups" ADD CONSTRAINT "ad_groups_workspace_id_campaign_id_campaigns_workspace_id_id_fk" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_workspace_id_parent_id_categories_workspace_id_id_fk" FOREIGN KEY ("workspace_id","parent_id") REFERENCES "public"."categories"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_items" ADD CONSTRAINT "content_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creators" ADD CONSTRAINT "creators_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketplaces" ADD CONSTRAINT "marketplaces_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership" ADD CONSTRAINT "ownership_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership" ADD CONSTRAINT "ownership_workspace_id_user_id_users_workspace_id_id_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skus" ADD CONSTRAINT "skus_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skus" ADD CONSTRAINT "skus_workspace_id_category_id_categories_workspace_id_id_fk" FOREIGN KEY ("workspace_id","category_id") REFERENCES "public"."categories"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_workspace_id_team_id_teams_workspace_id_id_fk" FOREIGN KEY ("workspace_id","team_id") REFERENCES "public"."teams"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warehouses" ADD CONSTRAINT "warehouses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_ads_daily" ADD CONSTRAINT "fact_ads_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_content_daily" ADD CONSTRAINT "fact_content_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_inventory_daily" ADD CONSTRAINT "fact_inventory_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_refund_lines" ADD CONSTRAINT "fact_refund_lines_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_sales_daily" ADD CONSTRAINT "fact_sales_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_service_daily" ADD CONSTRAINT "fact_service_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_team_events" ADD CONSTRAINT "fact_team_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_fx_rates" ADD CONSTRAINT "budget_fx_rates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_metrics" ADD CONSTRAINT "custom_metrics_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "season_calendar" ADD CONSTRAINT "season_calendar_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_priorities" ADD CONSTRAINT "source_priorities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_adjustments" ADD CONSTRAINT "goal_adjustments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_adjustments" ADD CONSTRAINT "goal_adjustments_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_adjustments" ADD CONSTRAINT "goal_adjustments_request_id_goal_adjustments_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."goal_adjustments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_evaluations" ADD CONSTRAINT "goal_evaluations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_evaluations" ADD CONSTRAINT "goal_evaluations_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_parent_goal_id_goals_id_fk" FOREIGN KEY ("parent_goal_id") REFERENCES "public"."goals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_workspace_id_owner_user_id_users_workspace_id_id_fk" FOREIGN KEY ("workspace_id","owner_user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "month_closes" ADD CONSTRAINT "month_closes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_templates" ADD CONSTRAINT "score_templates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_workspace_id_user_id_users_workspace_id_id_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console_messages" ADD CONSTRAINT "console_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_update_of_deliveries_id_fk" FOREIGN KEY ("update_of") REFERENCES "public"."deliveries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_workspace" ON "api_tokens" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "audit_log_workspace_at" ON "audit_log" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_entity" ON "audit_log" USING btree ("workspace_id","entity","entity_id");--> statement-breakpoint
CREATE INDEX "chat_identities_user" ON "chat_identities" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "chats_workspace_team" ON "chats" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_assignments_unique" ON "role_assignments" USING btree ("workspace_id","user_id","role",coalesce("team_id", ''));--> statement-breakpoint
CREATE INDEX "ad_groups_store" ON "ad_groups" USING btree ("workspace_id","store_id");--> statement-breakpoint
CREATE INDEX "campaigns_store" ON "campaigns" USING btree ("workspace_id","store_id");--> statement-breakpoint
CREATE INDEX "categories_path" ON "categories" USING btree ("workspace_id","path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "content_items_published" ON "content_items" USING btree ("workspace_id","published_at");--> statement-breakpoint
CREATE INDEX "content_items_creator" ON "content_items" USING btree ("workspace_id","creator_id");--> statement-breakpoint
CREATE INDEX "ownership_scope" ON "ownership" USING btree ("workspace_id","scope_type","scope_id","valid_from");--> statement-breakpoint
CREATE INDEX "ownership_user" ON "ownership" USING btree ("workspace_id","user_id","valid_from");--> statement-breakpoint
CREATE INDEX "skus_store" ON "skus" USING btree ("workspace_id","store_id");--> statement-breakpoint
CREATE INDEX "stores_team" ON "stores" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE INDEX "fact_ads_daily_store_date" ON "fact_ads_daily" USING btree ("workspace_id","store_id","date");--> statement-breakpoint
CREATE INDEX "fact_content_daily_store_date" ON "fact_content_daily" USING btree ("workspace_id","store_id","date");--> statement-breakpoint
CREATE INDEX "fact_inventory_daily_store_date" ON "fact_inventory_daily" USING btree ("workspace_id","store_id","snapshot_date");--> statement-breakpoint
CREATE INDEX "fact_refund_lines_store_refund_date" ON "fact_refund_lines" USING btree ("workspace_id","store_id","refund_date");--> statement-breakpoint
CREATE INDEX "fact_refund_lines_store_order_date" ON "fact_refund_lines" USING btree ("workspace_id","store_id","order_date");--> statement-breakpoint
CREATE INDEX "fact_sales_daily_store_date" ON "fact_sales_daily" USING btree ("workspace_id","store_id","date");--> statement-breakpoint
CREATE INDEX "fact_team_events_user_time" ON "fact_team_events" USING btree ("workspace_id","user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "fact_team_events_time" ON "fact_team_events" USING btree ("workspace_id","occurred_at");--> statement-breakpoint
CREATE INDEX "season_calendar_window" ON "season_calendar" USING btree ("workspace_id","start_date","end_date");--> statement-breakpoint
CREATE INDEX "sync_runs_freshness" ON "sync_runs" USING btree ("workspace_id","dataset","store_id","started_at");--> statement-breakpoint
CREATE INDEX "sync_runs_file_hash" ON "sync_runs" USING btree ("workspace_id","dataset","file_hash") WHERE "sync_runs"."file_hash" is not null;--> statement-breakpoint
CREATE INDEX "sync_runs_connector" ON "sync_runs" USING btree ("workspace_id","connector_id","started_at");--> statement-breakpoint
CREATE INDEX "goal_adjustments_goal" ON "goal_adjustments" USING btree ("goal_id","created_at");--> statement-breakpoint
CREATE INDEX "goal_evaluations_goal" ON "goal_evaluations" USING btree ("goal_id","evaluated_at");--> statement-breakpoint
CREATE INDEX "goals_status" ON "goals" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "goals_owner" ON "goals" USING btree ("workspace_id","owner_user_id");--> statement-breakpoint
CREATE INDEX "goals_parent" ON "goals" USING btree ("parent_goal_id");--> statement-breakpoint
CREATE INDEX "goals_scope" ON "goals" USING btree ("workspace_id","metric_id","scope_level","scope_id","period_start");--> statement-breakpoint
CREATE INDEX "scores_month" ON "scores" USING btree ("workspace_id","month");--> statement-breakpoint
CREATE INDEX "alert_rules_workspace" ON "alert_rules" USING btree ("workspace_id","enabled");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rules_key" ON "alert_rules" USING btree ("workspace_id","key") WHERE "alert_rules"."key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_live_per_scope" ON "alerts" USING btree ("rule_id","scope_key") WHERE "alerts"."status" in ('open', 'acknowledged', 'snoozed');--> statement-breakpoint
CREATE INDEX "alerts_status" ON "alerts" USING btree ("workspace_id","status","opened_at");--> statement-breakpoint
CREATE INDEX "alerts_team" ON "alerts" USING btree ("workspace_id","team_id","status");--> statement-breakpoint
CREATE INDEX "followups_assignee" ON "followups" USING btree ("workspace_id","assignee_user_id","status");--> statement-breakpoint
CREATE INDEX "followups_alert" ON "followups" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "action_dedup_created" ON "action_dedup" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "console_messages_chat_seq" ON "console_messages" USING btree ("chat_id","seq");--> statement-breakpoint
CREATE INDEX "deliveries_claim" ON "deliveries" USING btree ("state","next_attempt_at","priority") WHERE "deliveries"."state" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "deliveries_source" ON "deliveries" USING btree ("workspace_id","source_type","source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_idempotency" ON "deliveries" USING btree ("platform","idempotency_key") WHERE "deliveries"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "inbound_dedup_received" ON "inbound_dedup" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_chat_kind" ON "subscriptions" USING btree ("platform","tenant_key","chat_id","kind");