-- Who is expected in each round: the model's active enrolled domains, or a seeded sample of them, chosen when the
-- round opens and kept with it (a JSON list of domain ids), so every function judges the round against the same
-- list whatever happens to the enrolments later. Rounds opened before this migration expected every enrolled domain.
ALTER TABLE round ADD COLUMN expected_domains TEXT;
UPDATE round r SET expected_domains = coalesce(
    (SELECT json_agg(e.domain_id ORDER BY e.domain_id)::text FROM enrolment e WHERE e.model_id = r.model_id), '[]');
ALTER TABLE round ALTER COLUMN expected_domains SET NOT NULL;

-- The sweeper asks for rounds past their deadline or lease: few rows are OPEN or AGGREGATING at any time.
CREATE INDEX round_unfinished ON round (state) WHERE state IN ('OPEN', 'AGGREGATING');
