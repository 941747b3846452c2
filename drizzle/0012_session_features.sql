CREATE TABLE "score_template_vetoes" (
	"workspace_id" text NOT NULL,
	"template_id" text NOT NULL,
	"vetoes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_template_vetoes_workspace_id_template_id_pk" PRIMARY KEY("workspace_id","template_id")
);
--> statement-breakpoint
CREATE TABLE "score_vetoes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_vetoes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"month" text NOT NULL,
	"code" text NOT NULL,
	"note" text NOT NULL,
	"recorded_by" text NOT NULL,
	"withdrawn_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_vetoes_month" CHECK ("score_vetoes"."month" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "alert_mutes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_mutes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"scope_key" text NOT NULL,
	"until" date NOT NULL,
	"reason" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_sends" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_sends_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"alert_id" bigint NOT NULL,
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"chat_id" text NOT NULL,
	"day" date NOT NULL,
	"status" text NOT NULL,
	"delivery_id" bigint,
	"digested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_actions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "insight_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"object_key" text NOT NULL,
	"tag" text NOT NULL,
	"action" text NOT NULL,
	"day" date NOT NULL,
	"quantity" integer,
	"user_id" text,
	"actor_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insight_actions_once" UNIQUE("workspace_id","kind","object_key","tag","day")
);
--> statement-breakpoint
CREATE TABLE "action_link_uses" (
	"nonce" text PRIMARY KEY NOT NULL,
	"action_id" text NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_usage" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"month" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"held_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_usage_platform_tenant_key_month_pk" PRIMARY KEY("platform","tenant_key","month")
);
--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "route" text DEFAULT 'group' NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "trial_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "assignee_user_id" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "score_template_vetoes" ADD CONSTRAINT "score_template_vetoes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_template_vetoes" ADD CONSTRAINT "score_template_vetoes_template_fk" FOREIGN KEY ("workspace_id","template_id") REFERENCES "public"."score_templates"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_vetoes" ADD CONSTRAINT "score_vetoes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_vetoes" ADD CONSTRAINT "score_vetoes_user_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_mutes" ADD CONSTRAINT "alert_mutes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_sends" ADD CONSTRAINT "alert_sends_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_sends" ADD CONSTRAINT "alert_sends_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_actions" ADD CONSTRAINT "insight_actions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "score_vetoes_user_month" ON "score_vetoes" USING btree ("workspace_id","user_id","month");--> statement-breakpoint
CREATE INDEX "alert_mutes_scope" ON "alert_mutes" USING btree ("workspace_id","scope_key");--> statement-breakpoint
CREATE INDEX "alert_sends_chat_day" ON "alert_sends" USING btree ("workspace_id","platform","tenant_key","chat_id","day");--> statement-breakpoint
CREATE INDEX "alert_sends_alert" ON "alert_sends" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "insight_actions_recent" ON "insight_actions" USING btree ("workspace_id","kind","day");