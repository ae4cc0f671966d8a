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
CREATE TABLE "test_counters" (
    "key" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    "sum" BIGINT NOT NULL,

    CONSTRAINT "test_counters_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "test_users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "test_users_pkey" PRIMARY KEY ("id")
);
