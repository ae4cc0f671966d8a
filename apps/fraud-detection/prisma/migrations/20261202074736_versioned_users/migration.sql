-- DropTable
DROP TABLE "fraud_users";

-- CreateTable
CREATE TABLE "fraud_user_versions" (
    "id" TEXT NOT NULL,
    "from_offset" BIGINT NOT NULL,
    "partition" INTEGER NOT NULL,
    "from_ms" BIGINT NOT NULL,
    "deleted" BOOLEAN NOT NULL,
    "status" TEXT,
    "country" TEXT,
    "created_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3),

    CONSTRAINT "fraud_user_versions_pkey" PRIMARY KEY ("id","from_offset")
);

-- The versions are read from the users topic again: the view starts over from its first offset.
DELETE FROM "kafka_consumer_offsets" WHERE "view" = 'users';
