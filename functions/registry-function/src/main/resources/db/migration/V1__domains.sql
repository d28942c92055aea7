-- A domain of the mesh: owns data products and signs the weight updates it sends.
CREATE TABLE domain (
    id          VARCHAR(63)  PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    owner       VARCHAR(255) NOT NULL,
    public_key  TEXT,
    status      VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
