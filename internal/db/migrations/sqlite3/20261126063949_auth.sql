-- Create "access_logs" table
CREATE TABLE `access_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `candidate_id` integer NOT NULL, `entity` text NOT NULL, `fields` text NOT NULL, `operation` text NULL, `read_at` datetime NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `access_logs_users_access_logs` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT);
-- Set sequence for "access_logs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("access_logs", 42949672960);
-- Create index "accesslog_candidate_id_read_at" to table: "access_logs"
CREATE INDEX `accesslog_candidate_id_read_at` ON `access_logs` (`candidate_id`, `read_at`);
-- Create index "accesslog_user_id_read_at" to table: "access_logs"
CREATE INDEX `accesslog_user_id_read_at` ON `access_logs` (`user_id`, `read_at`);
-- Create index "accesslog_read_at" to table: "access_logs"
CREATE INDEX `accesslog_read_at` ON `access_logs` (`read_at`);
-- Create "tokens" table
CREATE TABLE `tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `token_hash` text NOT NULL, `kind` text NOT NULL, `name` text NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `user_id` integer NOT NULL, CONSTRAINT `tokens_users_tokens` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Set sequence for "tokens" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("tokens", 47244640256);
-- Create index "tokens_token_hash_key" to table: "tokens"
CREATE UNIQUE INDEX `tokens_token_hash_key` ON `tokens` (`token_hash`);
-- Create index "token_user_id_kind" to table: "tokens"
CREATE INDEX `token_user_id_kind` ON `tokens` (`user_id`, `kind`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `username` text NOT NULL, `password_hash` text NOT NULL, `role` text NOT NULL, `disabled` bool NOT NULL DEFAULT (false), `organization_id` integer NULL, CONSTRAINT `users_organizations_users` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 51539607552);
-- Create index "users_username_key" to table: "users"
CREATE UNIQUE INDEX `users_username_key` ON `users` (`username`);
-- Create index "user_organization_id" to table: "users"
CREATE INDEX `user_organization_id` ON `users` (`organization_id`);
