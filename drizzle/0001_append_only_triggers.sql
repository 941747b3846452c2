-- Hand-written SQL that drizzle-kit cannot express. Postgres 15 compatible.

-- The audit trail and the adjustment log are append-only: corrections are new rows, never edits.
CREATE OR REPLACE FUNCTION kpibot_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: add a new entry instead of changing one', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION kpibot_refuse_update();
--> statement-breakpoint
CREATE TRIGGER goal_adjustments_append_only BEFORE UPDATE ON goal_adjustments
  FOR EACH ROW EXECUTE FUNCTION kpibot_refuse_update();
--> statement-breakpoint

-- Console cursor: redrawn on every UPDATE so a card edited in place reappears after the poller's
-- `after=<seq>` cursor (ARCHITECTURE.md "Console"). Inserts take the column default.
CREATE OR REPLACE FUNCTION kpibot_console_message_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.seq := nextval('console_messages_seq');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER console_messages_seq_on_update BEFORE UPDATE ON console_messages
  FOR EACH ROW EXECUTE FUNCTION kpibot_console_message_seq();
