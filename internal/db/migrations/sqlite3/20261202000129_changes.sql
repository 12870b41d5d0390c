-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_organizations" table
CREATE TABLE `new_organizations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `sector` text NOT NULL, `depth` integer NOT NULL DEFAULT (0), `founded_on` date NOT NULL, `dissolved_on` date NULL, `parent_id` integer NULL, `merged_into_id` integer NULL, `predecessor_id` integer NULL, CONSTRAINT `organizations_organizations_children` FOREIGN KEY (`parent_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT, CONSTRAINT `organizations_organizations_merged_from` FOREIGN KEY (`merged_into_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT, CONSTRAINT `organizations_organizations_split_into` FOREIGN KEY (`predecessor_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "new_organizations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_organizations", 21474836480);
-- Copy rows from old table "organizations" to new temporary table "new_organizations"
INSERT INTO `new_organizations` (`id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `sector`, `depth`, `founded_on`, `dissolved_on`, `parent_id`, `merged_into_id`) SELECT `id`, `created_at`, `updated_at`, `code`, `name`, `kind`, `sector`, `depth`, `founded_on`, `dissolved_on`, `parent_id`, `merged_into_id` FROM `organizations`;
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
-- Create "candidate_status" table
CREATE TABLE `candidate_status` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `status` text NOT NULL, `valid_from` date NOT NULL, `valid_to` date NOT NULL, `candidate_id` integer NOT NULL, `organization_id` integer NOT NULL, CONSTRAINT `candidate_status_candidates_candidate` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`) ON DELETE CASCADE, CONSTRAINT `candidate_status_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "candidate_status" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("candidate_status", 60129542144);
-- Create index "candidatestatus_candidate_id_valid_from" to table: "candidate_status"
CREATE INDEX `candidatestatus_candidate_id_valid_from` ON `candidate_status` (`candidate_id`, `valid_from`);
-- Create index "candidatestatus_organization_id_valid_from" to table: "candidate_status"
CREATE INDEX `candidatestatus_organization_id_valid_from` ON `candidate_status` (`organization_id`, `valid_from`);
-- Create "organization_links" table
CREATE TABLE `organization_links` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `depth` integer NOT NULL, `valid_from` date NOT NULL, `valid_to` date NOT NULL, `organization_id` integer NOT NULL, `descendant_id` integer NOT NULL, CONSTRAINT `organization_links_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE, CONSTRAINT `organization_links_organizations_descendant` FOREIGN KEY (`descendant_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "organization_links" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organization_links", 64424509440);
-- Create index "organizationlink_organization_id_descendant_id_valid_from" to table: "organization_links"
CREATE INDEX `organizationlink_organization_id_descendant_id_valid_from` ON `organization_links` (`organization_id`, `descendant_id`, `valid_from`);
-- Create index "organizationlink_descendant_id_valid_from" to table: "organization_links"
CREATE INDEX `organizationlink_descendant_id_valid_from` ON `organization_links` (`descendant_id`, `valid_from`);
-- Create "organization_names" table
CREATE TABLE `organization_names` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `valid_from` date NOT NULL, `valid_to` date NULL, `organization_id` integer NOT NULL, CONSTRAINT `organization_names_organizations_names` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "organization_names" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organization_names", 68719476736);
-- Create index "organizationname_organization_id_valid_from" to table: "organization_names"
CREATE INDEX `organizationname_organization_id_valid_from` ON `organization_names` (`organization_id`, `valid_from`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
