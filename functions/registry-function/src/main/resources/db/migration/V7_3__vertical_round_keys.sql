-- Vertical rounds start from the registry alone (issue 16): what the governance side's per-round round.json used to
-- add to the registry's round is recorded here instead.
--
-- psi_session: the PSI session whose alignment the model trains on (models/{id}/vrounds/psi/{session}/).
-- head_public_key: the governance-side head's Ed25519 public key (X.509, Base64) when the labels are shared; a
-- domain-owned head signs with its registered domain key. Both may change (PATCH /vertical-models/{id}); a change
-- applies to the rounds opened after it.
ALTER TABLE vertical_model ADD COLUMN psi_session VARCHAR(63);
ALTER TABLE vertical_model ADD COLUMN head_public_key TEXT;

-- What round n was opened with: its PSI session and the public keys of every party and of the head owner as they were
-- when it opened (JSON {owner: key}). Each round's embeddings, gradients and outcome are verified with its own keys,
-- so a key rotated between rounds never makes an earlier round's signatures unverifiable.
ALTER TABLE vertical_round ADD COLUMN psi_session VARCHAR(63);
ALTER TABLE vertical_round ADD COLUMN public_keys TEXT;
