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
CREATE TABLE "fraud_users" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fraud_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fraud_orders" (
    "order_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "ship_country" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "verdict_event_id" TEXT NOT NULL,
    "user_country" TEXT,
    "user_created_at" TIMESTAMPTZ(3),

    CONSTRAINT "fraud_orders_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "fraud_user_windows" (
    "user_id" TEXT NOT NULL,
    "window_size" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "order_count" INTEGER NOT NULL,
    "total_cents" BIGINT NOT NULL,

    CONSTRAINT "fraud_user_windows_pkey" PRIMARY KEY ("user_id","window_size","window_start")
);

-- CreateTable
CREATE TABLE "fraud_alerts" (
    "alert_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "causation_id" TEXT NOT NULL,

    CONSTRAINT "fraud_alerts_pkey" PRIMARY KEY ("alert_id")
);

-- CreateIndex
CREATE INDEX "fraud_orders_user_id_placed_at_idx" ON "fraud_orders"("user_id", "placed_at");

-- CreateIndex
CREATE UNIQUE INDEX "fraud_alerts_event_id_key" ON "fraud_alerts"("event_id");

-- CreateIndex
CREATE INDEX "fraud_alerts_raised_at_idx" ON "fraud_alerts"("raised_at");

-- CreateIndex
CREATE INDEX "fraud_alerts_user_id_raised_at_idx" ON "fraud_alerts"("user_id", "raised_at");

-- CreateIndex
CREATE INDEX "fraud_alerts_rule_raised_at_idx" ON "fraud_alerts"("rule", "raised_at");
