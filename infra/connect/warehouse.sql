-- The warehouse: what the JDBC sink (infra/connect/warehouse-sink.connector.json) writes, for offline SQL.
-- Applied by `npm run warehouse:sink -- register` before the connectors start (idempotent). The sink upserts by
-- the primary key (schema.evolution=none: it never changes these tables). Timestamps arrive as ISO-8601 strings;
-- the JDBC URL's stringtype=unspecified lets PostgreSQL read them as timestamptz.
CREATE TABLE IF NOT EXISTS validated_orders (
  order_id         text PRIMARY KEY,
  user_id          text        NOT NULL,
  total_cents      bigint      NOT NULL,
  currency         text        NOT NULL,
  -- OrderValidated v2 only (null for v1 records and for orders whose client named no channel).
  channel          text,
  ship_line1       text        NOT NULL,
  ship_city        text        NOT NULL,
  ship_postal_code text        NOT NULL,
  ship_country     text        NOT NULL,
  placed_at        timestamptz NOT NULL,
  validated_at     timestamptz NOT NULL,
  event_id         text        NOT NULL,
  event_version    integer     NOT NULL
);

CREATE TABLE IF NOT EXISTS shipments (
  shipment_id text PRIMARY KEY,
  order_id    text        NOT NULL,
  user_id     text        NOT NULL,
  line1       text        NOT NULL,
  city        text        NOT NULL,
  postal_code text        NOT NULL,
  country     text        NOT NULL,
  created_at  timestamptz NOT NULL,
  event_id    text        NOT NULL
);
