-- The transactional outbox of round events: each event is stored in the same transaction as the state change it
-- announces, and sent after commit, at least once, by the relay (right after the request that recorded it, and
-- periodically for what that missed: a process that died between commit and send, a broker that was down).
-- After max-attempts failed sends an event is DEAD: kept, counted, and listed for the operator.
CREATE TABLE round_event_outbox (
    id              BIGSERIAL PRIMARY KEY,
    event_id        TEXT        NOT NULL UNIQUE,
    type            TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    cloud_event     TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'DEAD')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    sent_at         TIMESTAMPTZ,
    last_error      TEXT
);

-- The relay's question: which pending events are due, oldest first.
CREATE INDEX round_event_outbox_due ON round_event_outbox (next_attempt_at, id) WHERE state = 'PENDING';
