-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "recognition_decided_on" to table: "admissions"
ALTER TABLE `admissions` ADD COLUMN `recognition_decided_on` date NULL;
-- Create "new_candidates" table
CREATE TABLE `new_candidates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `full_name` text NOT NULL, `gender` text NOT NULL, `birth_date` date NOT NULL, `ethnicity` text NOT NULL DEFAULT ('Kinh'), `religion` text NULL, `general_education` text NOT NULL DEFAULT ('UPPER_SECONDARY'), `professional_level` text NOT NULL DEFAULT ('NONE'), `political_theory_level` text NOT NULL DEFAULT ('NONE'), `occupation` text NOT NULL, `youth_union_member` bool NOT NULL DEFAULT (false), `national_id` text NULL, `phone` text NULL, `status` text NOT NULL DEFAULT ('SOURCE'), `resolution_on` date NULL, `age_exception` bool NOT NULL DEFAULT (false), `exception_note` text NULL, `organization_id` integer NOT NULL, CONSTRAINT `candidates_organizations_candidates` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "new_candidates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_candidates", 8589934592);
-- Copy rows from old table "candidates" to new temporary table "new_candidates"
INSERT INTO `new_candidates` (`id`, `created_at`, `updated_at`, `full_name`, `gender`, `birth_date`, `ethnicity`, `religion`, `general_education`, `professional_level`, `political_theory_level`, `occupation`, `youth_union_member`, `national_id`, `phone`, `status`, `organization_id`) SELECT `id`, `created_at`, `updated_at`, `full_name`, `gender`, `birth_date`, `ethnicity`, `religion`, `general_education`, `professional_level`, `political_theory_level`, `occupation`, `youth_union_member`, `national_id`, `phone`, `status`, `organization_id` FROM `candidates`;
-- Drop "candidates" table after copying rows
DROP TABLE `candidates`;
-- Rename temporary table "new_candidates" to "candidates"
ALTER TABLE `new_candidates` RENAME TO `candidates`;
-- Create index "candidates_national_id_key" to table: "candidates"
CREATE UNIQUE INDEX `candidates_national_id_key` ON `candidates` (`national_id`);
-- Create index "candidates_phone_key" to table: "candidates"
CREATE UNIQUE INDEX `candidates_phone_key` ON `candidates` (`phone`);
-- Create index "candidate_organization_id_status" to table: "candidates"
CREATE INDEX `candidate_organization_id_status` ON `candidates` (`organization_id`, `status`);
-- Create index "candidate_full_name_birth_date_organization_id" to table: "candidates"
CREATE INDEX `candidate_full_name_birth_date_organization_id` ON `candidates` (`full_name`, `birth_date`, `organization_id`);
-- Create "new_organizations" table
CREATE TABLE `new_organizations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `sector` text NOT NULL, `depth` integer NOT NULL DEFAULT (0), `founded_on` date NOT NULL, `dissolved_on` date NULL, `parent_id` integer NULL, `merged_into_id` integer NULL, CONSTRAINT `organizations_organizations_children` FOREIGN KEY (`parent_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT, CONSTRAINT `organizations_organizations_merged_from` FOREIGN KEY (`merged_into_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "new_organizations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_organizations", 21474836480);
-- Copy rows from old table "organizations" to new temporary table "new_organizations"
INSERT INTO `new_organizations` (`id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `sector`, `depth`, `founded_on`, `dissolved_on`, `parent_id`) SELECT `id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `sector`, `depth`, `founded_on`, `dissolved_on`, `parent_id` FROM `organizations`;
-- Drop "organizations" table after copying rows
DROP TABLE `organizations`;
-- Rename temporary table "new_organizations" to "organizations"
ALTER TABLE `new_organizations` RENAME TO `organizations`;
-- Create index "organizations_code_key" to table: "organizations"
CREATE UNIQUE INDEX `organizations_code_key` ON `organizations` (`code`);
-- Create index "organization_parent_id" to table: "organizations"
CREATE INDEX `organization_parent_id` ON `organizations` (`parent_id`);
-- Create index "organization_kind" to table: "organizations"
CREATE INDEX `organization_kind` ON `organizations` (`kind`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor` text NOT NULL, `entity_type` text NOT NULL, `entity_id` integer NOT NULL, `operation` text NOT NULL, `changes` json NOT NULL);
-- Set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 34359738368);
-- Create index "auditevent_entity_type_entity_id" to table: "audit_events"
CREATE INDEX `auditevent_entity_type_entity_id` ON `audit_events` (`entity_type`, `entity_id`);
-- Create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- Create index "auditevent_actor_at" to table: "audit_events"
CREATE INDEX `auditevent_actor_at` ON `audit_events` (`actor`, `at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
