CREATE TABLE "directory_departments" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"department_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"team_id" text NOT NULL,
	"parent_department_id" text,
	"name" text NOT NULL,
	"last_seen_run" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_departments_platform_tenant_key_department_id_pk" PRIMARY KEY("platform","tenant_key","department_id")
);
--> statement-breakpoint
CREATE TABLE "directory_people" (
	"platform" text NOT NULL,
	"tenant_key" text NOT NULL,
	"union_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"platform_user_id" text,
	"email" text,
	"mobile_hash" text,
	"department_id" text,
	"is_leader" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_seen_run" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_people_platform_tenant_key_union_id_pk" PRIMARY KEY("platform","tenant_key","union_id")
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "usage_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"platform" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "directory_departments" ADD CONSTRAINT "directory_departments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_people" ADD CONSTRAINT "directory_people_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_people_user" ON "directory_people" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "directory_people_email" ON "directory_people" USING btree ("workspace_id",lower("email"));--> statement-breakpoint
CREATE INDEX "directory_people_mobile" ON "directory_people" USING btree ("workspace_id","mobile_hash");--> statement-breakpoint
CREATE INDEX "usage_events_workspace_at" ON "usage_events" USING btree ("workspace_id","at");