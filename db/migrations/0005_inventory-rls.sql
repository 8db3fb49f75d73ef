-- Dealers see their own vehicles and the open alerts of their own organisation; vehicles still at the
-- factory or in transit (no organisation yet) and warehouse stock are the OEM's (scope '*').
ALTER TABLE vehicles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE vehicles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY vehicles_scope ON vehicles
  USING (app_org_visible(organization_id))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
--> statement-breakpoint
ALTER TABLE vehicle_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE vehicle_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY vehicle_events_scope ON vehicle_events
  USING (coalesce(current_setting('app.org_scope', true), '') = '*'
         OR EXISTS (SELECT 1 FROM vehicles v WHERE v.vin = vehicle_events.vin AND app_org_visible(v.organization_id)))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
--> statement-breakpoint
ALTER TABLE stock_alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stock_alerts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY stock_alerts_scope ON stock_alerts
  USING (app_org_visible(organization_id))
  WITH CHECK (coalesce(current_setting('app.org_scope', true), '') = '*');
