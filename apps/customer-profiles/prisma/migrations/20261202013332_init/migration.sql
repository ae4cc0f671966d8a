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
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL,

    CONSTRAINT "users_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_orders" (
    "order_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "validated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_orders_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "customer_shipments" (
    "order_id" TEXT NOT NULL,
    "shipment_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_shipments_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "customer_fraud_alerts" (
    "alert_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_fraud_alerts_pkey" PRIMARY KEY ("alert_id")
);

-- CreateIndex
CREATE INDEX "customer_orders_user_id_idx" ON "customer_orders"("user_id");

-- CreateIndex
CREATE INDEX "customer_shipments_user_id_idx" ON "customer_shipments"("user_id");

-- CreateIndex
CREATE INDEX "customer_fraud_alerts_user_id_idx" ON "customer_fraud_alerts"("user_id");
