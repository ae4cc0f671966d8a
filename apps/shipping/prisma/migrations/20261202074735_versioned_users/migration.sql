-- DropTable
DROP TABLE "users_view";

-- CreateTable
CREATE TABLE "user_versions" (
    "id" TEXT NOT NULL,
    "from_offset" BIGINT NOT NULL,
    "partition" INTEGER NOT NULL,
    "from_ms" BIGINT NOT NULL,
    "deleted" BOOLEAN NOT NULL,
    "email" TEXT,
    "name" TEXT,
    "country" TEXT,
    "address_line1" TEXT,
    "city" TEXT,
    "postal_code" TEXT,

    CONSTRAINT "user_versions_pkey" PRIMARY KEY ("id","from_offset")
);

-- The versions are read from the users topic again: the view starts over from its first offset.
DELETE FROM "kafka_consumer_offsets" WHERE "view" = 'users';
