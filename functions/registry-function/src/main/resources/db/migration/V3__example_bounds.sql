-- Bounds on the examples an update may claim (its weight in FedAvg). A data product declares how many records it
-- holds (descriptor customProperties: records); the enrolment keeps the count the governance approved, so a
-- domain re-registering its product with a larger count does not raise its own bound.
ALTER TABLE data_product ADD COLUMN records BIGINT CHECK (records >= 0);
ALTER TABLE enrolment ADD COLUMN records BIGINT CHECK (records >= 0);
