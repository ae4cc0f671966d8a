-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "kafka_consumer_offsets" (
    "view" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "next_offset" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kafka_consumer_offsets_pkey" PRIMARY KEY ("view","topic","partition")
);

-- CreateTable
CREATE TABLE "users_view" (
    "id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seen_verdicts" (
    "order_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "total_cents" BIGINT NOT NULL,

    CONSTRAINT "seen_verdicts_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "rollups" (
    "window_size" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "dimension" TEXT NOT NULL,
    "dimension_value" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    "revenue" BIGINT NOT NULL,

    CONSTRAINT "rollups_pkey" PRIMARY KEY ("window_size","window_start","dimension","dimension_value")
);

-- CreateTable
CREATE TABLE "verdict_totals" (
    "outcome" TEXT NOT NULL,
    "orders" BIGINT NOT NULL,
    "revenue_cents" BIGINT NOT NULL,

    CONSTRAINT "verdict_totals_pkey" PRIMARY KEY ("outcome")
);

-- CreateTable
CREATE TABLE "seen_shipments" (
    "order_id" TEXT NOT NULL,
    "shipment_id" TEXT NOT NULL,

    CONSTRAINT "seen_shipments_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "shipment_totals" (
    "metric" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "shipment_totals_pkey" PRIMARY KEY ("metric")
);

-- CreateTable
CREATE TABLE "seen_alerts" (
    "alert_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,

    CONSTRAINT "seen_alerts_pkey" PRIMARY KEY ("alert_id")
);

-- CreateTable
CREATE TABLE "alert_totals" (
    "rule" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "alert_totals_pkey" PRIMARY KEY ("rule")
);

-- CreateIndex
CREATE INDEX "rollups_window_size_dimension_window_start_idx" ON "rollups"("window_size", "dimension", "window_start");
