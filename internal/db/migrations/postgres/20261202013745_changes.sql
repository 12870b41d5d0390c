-- Modify "users" table
ALTER TABLE "users" ADD COLUMN "failed_logins" bigint NOT NULL DEFAULT 0, ADD COLUMN "last_failed_login_at" timestamptz NULL;
