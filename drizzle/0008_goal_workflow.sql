CREATE TABLE "goal_comments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"goal_id" bigint NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_milestones" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_milestones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"goal_id" bigint NOT NULL,
	"title" text NOT NULL,
	"due_date" date NOT NULL,
	"target" numeric,
	"done_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_rag_thresholds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_rag_thresholds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"metric_id" text,
	"green" numeric(6, 4) NOT NULL,
	"amber" numeric(6, 4) NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_rag_thresholds_order" CHECK ("goal_rag_thresholds"."amber" > 0 and "goal_rag_thresholds"."amber" <= "goal_rag_thresholds"."green"),
	CONSTRAINT "goal_rag_thresholds_range" CHECK ("goal_rag_thresholds"."valid_to" is null or "goal_rag_thresholds"."valid_from" is null or "goal_rag_thresholds"."valid_to" >= "goal_rag_thresholds"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "goal_responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"goal_id" bigint NOT NULL,
	"goal_version" integer NOT NULL,
	"kind" text NOT NULL,
	"proposed_target" numeric,
	"reason" text,
	"status" text NOT NULL,
	"responded_by" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_responses_proposal" CHECK ("goal_responses"."kind" <> 'propose' or ("goal_responses"."proposed_target" is not null and "goal_responses"."reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "goal_split_previews" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "goal_split_previews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"parent_goal_id" bigint NOT NULL,
	"parent_version" integer NOT NULL,
	"by" text NOT NULL,
	"method" text NOT NULL,
	"children" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "red_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "red_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text,
	"platform" text NOT NULL,
	"marketplace" text,
	"metric_id" text NOT NULL,
	"direction" text NOT NULL,
	"amber" numeric,
	"red" numeric NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goal_comments" ADD CONSTRAINT "goal_comments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_comments" ADD CONSTRAINT "goal_comments_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_milestones" ADD CONSTRAINT "goal_milestones_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_milestones" ADD CONSTRAINT "goal_milestones_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_rag_thresholds" ADD CONSTRAINT "goal_rag_thresholds_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_responses" ADD CONSTRAINT "goal_responses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_responses" ADD CONSTRAINT "goal_responses_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_split_previews" ADD CONSTRAINT "goal_split_previews_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_split_previews" ADD CONSTRAINT "goal_split_previews_parent_goal_id_goals_id_fk" FOREIGN KEY ("parent_goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_lines" ADD CONSTRAINT "red_lines_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "goal_comments_goal" ON "goal_comments" USING btree ("goal_id","created_at");--> statement-breakpoint
CREATE INDEX "goal_milestones_goal" ON "goal_milestones" USING btree ("goal_id","due_date");--> statement-breakpoint
CREATE INDEX "goal_rag_thresholds_metric" ON "goal_rag_thresholds" USING btree ("workspace_id","metric_id");--> statement-breakpoint
CREATE INDEX "goal_responses_goal" ON "goal_responses" USING btree ("goal_id","goal_version");--> statement-breakpoint
CREATE INDEX "goal_split_previews_parent" ON "goal_split_previews" USING btree ("parent_goal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "red_lines_key" ON "red_lines" USING btree (coalesce("workspace_id", ''),"platform",coalesce("marketplace", ''),"metric_id");