ALTER TABLE "subscriptions" ADD COLUMN "kpis" text[];--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "weekday" smallint;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "day_of_month" smallint;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "working_days_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "paused_reason" text;