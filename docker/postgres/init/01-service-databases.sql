-- One database per service (each service owns its own database): the same list as
-- infra/local/config.mjs SERVICE_DATABASES. Runs once, when the postgres volume is initialised.
-- legacy_monolith is read by Debezium through logical replication (wal_level=logical, see docker-compose.yml).
CREATE DATABASE order_validation;
CREATE DATABASE shipping;
CREATE DATABASE fraud_detection;
CREATE DATABASE analytics;
CREATE DATABASE legacy_monolith;
CREATE DATABASE sample_view;
