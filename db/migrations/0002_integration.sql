CREATE TYPE "public"."integration_system" AS ENUM('erp', 'dms', 'mes', 'bank');--> statement-breakpoint
CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('received', 'processing', 'processed', 'failed', 'dead', 'duplicate', 'ignored_stale', 'cancelled');--> statement-breakpoint
CREATE TABLE "integration_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"system" "integration_system" NOT NULL,
	"direction" "message_direction" NOT NULL,
	"message_type" text NOT NULL,
	"message_id" text NOT NULL,
	"business_key" text,
	"content_hash" text NOT NULL,
	"content_type" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"channel" text NOT NULL,
	"status" "message_status" DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ack" jsonb,
	"correlation_id" text,
	"duplicate_of" uuid,
	"organization_id" uuid,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	"detail" jsonb,
	CONSTRAINT "job_runs_job_slot_pk" PRIMARY KEY("job","slot")
);
--> statement-breakpoint
CREATE TABLE "partner_mappings" (
	"system" "integration_system" NOT NULL,
	"partner_id" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_mappings_system_partner_id_pk" PRIMARY KEY("system","partner_id")
);
--> statement-breakpoint
ALTER TABLE "integration_messages" ADD CONSTRAINT "integration_messages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_messages_message_id_uq" ON "integration_messages" USING btree ("system","direction","message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "integration_messages_business_key_uq" ON "integration_messages" USING btree ("system","direction","message_type","business_key") WHERE "integration_messages"."business_key" is not null and "integration_messages"."duplicate_of" is null;--> statement-breakpoint
CREATE INDEX "integration_messages_queue_idx" ON "integration_messages" USING btree ("direction","status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "integration_messages_monitor_idx" ON "integration_messages" USING btree ("system","message_type","received_at");--> statement-breakpoint
CREATE INDEX "integration_messages_received_idx" ON "integration_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "partner_mappings_org_idx" ON "partner_mappings" USING btree ("organization_id");