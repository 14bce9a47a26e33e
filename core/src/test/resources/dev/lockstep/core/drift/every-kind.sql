--liquibase formatted sql

--changeset lockstep:1-types
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN positive_amount AS numeric(12, 2) NOT NULL CHECK (VALUE > 0);
CREATE TYPE money_pair AS (amount numeric, currency char(3));
CREATE TYPE price_range AS RANGE (subtype = numeric);

--changeset lockstep:2-tables
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(200) NOT NULL,
    name text,
    CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    state order_state NOT NULL DEFAULT 'new',
    amount positive_amount,
    quantity int NOT NULL CHECK (quantity > 0),
    unit_price numeric(10, 2) NOT NULL,
    total numeric GENERATED ALWAYS AS (quantity * unit_price) STORED,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE TABLE bookings (
    id int PRIMARY KEY,
    during tsrange NOT NULL,
    EXCLUDE USING gist (during WITH &&)
);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10;

--changeset lockstep:3-code splitStatements:false
CREATE FUNCTION order_total(p_order int) RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT total FROM orders WHERE id = p_order
$$;
CREATE PROCEDURE archive_orders(before date) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM orders WHERE created_at < before;
END
$$;
CREATE FUNCTION touch_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_order();

--changeset lockstep:4-views
CREATE VIEW paid_orders AS SELECT id, customer_id, total FROM orders WHERE state = 'paid';
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX order_totals_customer_idx ON order_totals (customer_id);

--changeset lockstep:5-security
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON orders FOR SELECT USING (customer_id = current_setting('app.customer')::bigint);
