-- Normalises the text already stored (Unicode NFC, surrounding space trimmed):
-- Go work of this version, internal/db/normalize.go, in this migration's transaction.
SELECT 1;
