-- A sharded round's aggregation plan (shards, fan-in, depth, invocations, plan id), as the aggregation function
-- recorded it when it closed the round (issue 18); JSON, null for a round aggregated by one invocation.
ALTER TABLE round ADD COLUMN aggregation_plan TEXT;
