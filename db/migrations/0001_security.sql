-- Security rules that live in the database itself (DESIGN §2, issue 2 §5–6).
--
-- 1. The application runs as role dealer_portal_app (the client switches to it after migrating),
--    so row-level security applies even when the connection logs in as a superuser.
-- 2. Organisation-owned tables carry RLS policies keyed on the transaction-local setting
--    app.org_scope: '*' for OEM staff and system jobs, else a comma-separated list of organisation
--    ids. No setting means no rows: a query that forgot its scope finds nothing.
-- 3. The audit log is append-only: a trigger refuses UPDATE/DELETE/TRUNCATE for everybody, and the
--    application role is not even granted those privileges.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dealer_portal_app') THEN
    CREATE ROLE dealer_portal_app NOLOGIN;
  END IF;
  -- The migrating user switches to the role after migrating, so it must be a member.
  IF NOT pg_has_role(current_user, 'dealer_portal_app', 'MEMBER') THEN
    EXECUTE format('GRANT dealer_portal_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO dealer_portal_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dealer_portal_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dealer_portal_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dealer_portal_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO dealer_portal_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM dealer_portal_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_org_visible(org uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.org_scope', true), '') = '*'
      OR (org IS NOT NULL AND org::text = ANY (string_to_array(current_setting('app.org_scope', true), ',')))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
--> statement-breakpoint
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY organizations_scope ON organizations
  USING (app_org_visible(id) OR app_org_visible(parent_id))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_scope ON users
  USING (app_org_visible(organization_id))
  WITH CHECK (app_org_visible(organization_id));
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (app_org_visible(organization_id));
--> statement-breakpoint
CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (true);
