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
CREATE TABLE "order_validations_seen" (
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_validations_seen_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "shipments_seen" (
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipments_seen_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "fraud_alerts_seen" (
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fraud_alerts_seen_pkey" PRIMARY KEY ("event_id")
);
