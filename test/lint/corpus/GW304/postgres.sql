-- case: unsafe ADD FOREIGN KEY without NOT VALID
-- expect: GW304@3
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);

-- case: unsafe ADD CHECK without NOT VALID
-- expect: GW304@7
ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0);

-- case: unsafe a new column with an inline REFERENCES validates it at once
-- expect: GW304@11
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);

-- case: safe NOT VALID, then VALIDATE in a later statement
-- expect: none
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;

-- case: safe constraints on a table created in the same migration
-- expect: none
CREATE TABLE lines (id bigint, order_id bigint, qty int);
ALTER TABLE lines ADD CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE lines ADD CONSTRAINT qty_positive CHECK (qty > 0);
