ALTER TABLE "alerts" ADD COLUMN "assignee_user_id" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "assigned_at" timestamp with time zone;