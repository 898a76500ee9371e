CREATE SCHEMA shop;
CREATE TABLE shop.customer (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE shop.orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customer (id),
    total bigint NOT NULL CHECK (total >= 0)
);
CREATE INDEX orders_customer_id ON shop.orders (customer_id);
CREATE VIEW shop.order_totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id;
COMMENT ON VIEW shop.order_totals IS 'Revenue per customer; | pipes are escaped in tables';
