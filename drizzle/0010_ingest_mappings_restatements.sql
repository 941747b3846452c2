CREATE TABLE "import_mappings" (
	"workspace_id" text NOT NULL,
	"dataset" text NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"constants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mappings_workspace_id_dataset_name_pk" PRIMARY KEY("workspace_id","dataset","name")
);
--> statement-breakpoint
CREATE TABLE "restatements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "restatements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"dataset" text NOT NULL,
	"store_id" text NOT NULL,
	"date" date NOT NULL,
	"measure" text NOT NULL,
	"before_value" numeric(20, 4) NOT NULL,
	"after_value" numeric(20, 4) NOT NULL,
	"sync_run_id" bigint NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_mappings" ADD CONSTRAINT "import_mappings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restatements" ADD CONSTRAINT "restatements_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "restatements_store_date" ON "restatements" USING btree ("workspace_id","dataset","store_id","date");