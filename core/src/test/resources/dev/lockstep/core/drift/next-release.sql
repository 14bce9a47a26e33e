--liquibase formatted sql

--changeset lockstep:10-next-release
CREATE TABLE shipments (id bigint PRIMARY KEY, order_id int NOT NULL);
CREATE INDEX orders_created_idx ON orders (created_at);
