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
    "name" TEXT NOT NULL,

    CONSTRAINT "users_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_shipments" (
    "order_id" TEXT NOT NULL,
    "recipient_name" TEXT NOT NULL,
    "verdict_id" TEXT NOT NULL,

    CONSTRAINT "test_shipments_pkey" PRIMARY KEY ("order_id")
);
