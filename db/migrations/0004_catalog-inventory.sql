CREATE TYPE "public"."vehicle_status" AS ENUM('scheduled', 'in_production', 'built', 'shipped', 'in_transit', 'dealer_stock', 'sold');--> statement-breakpoint
CREATE TABLE "parts" (
	"part_number" text PRIMARY KEY NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text NOT NULL,
	"base_unit" text,
	"material_group" text,
	"active" boolean DEFAULT true NOT NULL,
	"dealer_visible" boolean DEFAULT true NOT NULL,
	"safety_stock" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"material_number" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"material_group" text,
	"active" boolean DEFAULT true NOT NULL,
	"safety_days_supply" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicle_models_material_number_unique" UNIQUE("material_number")
);
--> statement-breakpoint
CREATE TABLE "parts_stock" (
	"warehouse" text NOT NULL,
	"part_number" text NOT NULL,
	"quantity" bigint NOT NULL,
	"safety_stock" integer,
	"snapshot_at" timestamp with time zone NOT NULL,
	"message_id" uuid,
	CONSTRAINT "parts_stock_warehouse_part_number_pk" PRIMARY KEY("warehouse","part_number")
);
--> statement-breakpoint
CREATE TABLE "stock_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"scope_key" text NOT NULL,
	"subject" text NOT NULL,
	"organization_id" uuid,
	"threshold" bigint NOT NULL,
	"level" bigint NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"acknowledged_by" text
);
--> statement-breakpoint
CREATE TABLE "vehicle_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"event_id" text NOT NULL,
	"stage" text NOT NULL,
	"sequence" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"plant" text,
	"message_id" uuid,
	"stale" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"vin" text PRIMARY KEY NOT NULL,
	"vin_valid" boolean NOT NULL,
	"organization_id" uuid,
	"status" "vehicle_status" NOT NULL,
	"location" text,
	"make" text,
	"model" text,
	"model_year" integer,
	"model_material_number" text,
	"stock_number" text,
	"is_new" boolean,
	"list_price_minor" bigint,
	"currency" char(3),
	"order_reference" text,
	"last_event_sequence" bigint,
	"last_event_at" timestamp with time zone,
	"last_seen_in_stock_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stock_alerts" ADD CONSTRAINT "stock_alerts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_events" ADD CONSTRAINT "vehicle_events_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parts_description_idx" ON "parts" USING btree (lower("description_en"));--> statement-breakpoint
CREATE INDEX "parts_stock_part_idx" ON "parts_stock" USING btree ("part_number");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_alerts_open_uq" ON "stock_alerts" USING btree ("kind","scope_key","subject") WHERE "stock_alerts"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "stock_alerts_raised_idx" ON "stock_alerts" USING btree ("raised_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicle_events_event_uq" ON "vehicle_events" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "vehicle_events_vin_idx" ON "vehicle_events" USING btree ("vin","sequence");--> statement-breakpoint
CREATE INDEX "vehicles_org_status_idx" ON "vehicles" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "vehicles_status_idx" ON "vehicles" USING btree ("status");