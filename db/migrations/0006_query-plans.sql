-- Query plans under row-level security (docs/benchmarks/foundation.md, findings 1–3).
-- 1. The scope compares uuids, not text: `organization_id = ANY(app_org_ids())` can use an index,
--    `organization_id::text = ANY(...)` could not. Policies keep calling app_org_visible().
CREATE OR REPLACE FUNCTION app_org_ids() RETURNS uuid[]
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN coalesce(current_setting('app.org_scope', true), '') IN ('', '*') THEN '{}'::uuid[]
    ELSE string_to_array(current_setting('app.org_scope', true), ',')::uuid[]
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_org_visible(org uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.org_scope', true), '') = '*' OR org = ANY (app_org_ids())
$$;
--> statement-breakpoint
-- 2. Login looks users up by their stored (lower-case) email: lower() is not leakproof, so under RLS
--    the expression index on lower(email) could not serve it.
UPDATE users SET email = lower(email) WHERE email <> lower(email);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_email_idx ON users (email);
--> statement-breakpoint
-- 3. The OEM user list sorts by these.
CREATE INDEX IF NOT EXISTS users_last_login_idx ON users (last_login_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS users_created_idx ON users (created_at);
