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
ALTER TABLE "score_template_vetoes" ADD CONSTRAINT "score_template_vetoes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_template_vetoes" ADD CONSTRAINT "score_template_vetoes_template_fk" FOREIGN KEY ("workspace_id","template_id") REFERENCES "public"."score_templates"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_vetoes" ADD CONSTRAINT "score_vetoes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_vetoes" ADD CONSTRAINT "score_vetoes_user_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."users"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_actions" ADD CONSTRAINT "insight_actions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "score_vetoes_user_month" ON "score_vetoes" USING btree ("workspace_id","user_id","month");--> statement-breakpoint
CREATE INDEX "insight_actions_recent" ON "insight_actions" USING btree ("workspace_id","kind","day");