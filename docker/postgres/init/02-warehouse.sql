-- The warehouse (not a service's database): the Debezium JDBC sink exports validated orders and shipments into it
-- (infra/connect/warehouse-sink.connector.json; tables: infra/connect/warehouse.sql, created by
-- `npm run warehouse:sink -- register`). Runs once, when the postgres volume is initialised, after 01-*.
CREATE DATABASE warehouse;
