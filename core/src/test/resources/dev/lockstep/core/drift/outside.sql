--liquibase formatted sql

--changeset lockstep:1-products
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL);

--changeset lockstep:2-view-on-a-hand-made-table
CREATE VIEW legacy_products AS SELECT id FROM legacy_catalog;
