-- One schema per concern: the product itself, money, and the audit trail.
CREATE SCHEMA app;
CREATE SCHEMA billing;
CREATE SCHEMA audit;
