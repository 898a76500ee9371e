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
GRANT SELECT ON shop.order_totals TO app_user;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.customer ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.customer FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_self ON shop.customer FOR SELECT TO app_user USING (email = current_user);
