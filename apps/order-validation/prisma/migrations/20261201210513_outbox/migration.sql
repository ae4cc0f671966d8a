-- AlterTable
ALTER TABLE "placed_orders" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "published_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "placed_orders_published_at_created_at_idx" ON "placed_orders"("published_at", "created_at");

-- Orders placed before the outbox existed were produced before their 202: not the relay's to publish again.
UPDATE "placed_orders" SET "published_at" = "created_at" WHERE "published_at" IS NULL;
