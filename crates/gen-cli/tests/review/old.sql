CREATE SCHEMA shop;
CREATE TABLE shop.customer (id bigint PRIMARY KEY, email text NOT NULL, legacy_code text);
CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total integer NOT NULL);
CREATE TABLE shop.audit_log (id bigint PRIMARY KEY, line text);
CREATE VIEW shop.order_totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id;
GRANT SELECT ON shop.order_totals TO app_user;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
