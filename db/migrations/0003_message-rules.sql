-- Rules of the message store that hold whatever code runs (issue 3 §1).
-- Only legal status transitions; terminal states stay terminal.
CREATE OR REPLACE FUNCTION integration_message_transition_is_legal(old_status message_status, new_status message_status)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT old_status = new_status OR (old_status, new_status) IN (
    ('received', 'processing'), ('received', 'duplicate'), ('received', 'ignored_stale'),
    ('received', 'failed'), ('received', 'cancelled'), ('received', 'processed'),
    ('processing', 'processed'), ('processing', 'failed'), ('processing', 'dead'),
    ('processing', 'ignored_stale'), ('processing', 'received'),
    ('failed', 'processing'), ('failed', 'received'), ('failed', 'dead'), ('failed', 'cancelled'),
    ('dead', 'received'), ('dead', 'cancelled')
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION integration_message_check_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT integration_message_transition_is_legal(OLD.status, NEW.status) THEN
    RAISE EXCEPTION 'illegal message status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.payload IS DISTINCT FROM OLD.payload OR NEW.content_hash IS DISTINCT FROM OLD.content_hash THEN
    RAISE EXCEPTION 'a stored message payload is never rewritten' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER integration_messages_transition BEFORE UPDATE ON integration_messages
  FOR EACH ROW EXECUTE FUNCTION integration_message_check_transition();
--> statement-breakpoint
ALTER TABLE integration_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE integration_messages FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY integration_messages_scope ON integration_messages
  USING (app_org_visible(organization_id))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
--> statement-breakpoint
ALTER TABLE partner_mappings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE partner_mappings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY partner_mappings_scope ON partner_mappings
  USING (app_org_visible(organization_id))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
