-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_stat_rollups" table
CREATE TABLE `new_stat_rollups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `month` integer NOT NULL, `span` integer NOT NULL DEFAULT (1), `dim` text NOT NULL, `key` text NOT NULL, `n` integer NOT NULL, `organization_id` integer NOT NULL, CONSTRAINT `stat_rollups_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "new_stat_rollups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_stat_rollups", 38654705664);
-- Copy rows from old table "stat_rollups" to new temporary table "new_stat_rollups"
INSERT INTO `new_stat_rollups` (`id`, `month`, `dim`, `key`, `n`, `organization_id`) SELECT `id`, `month`, `dim`, `key`, `n`, `organization_id` FROM `stat_rollups`;
-- Drop "stat_rollups" table after copying rows
DROP TABLE `stat_rollups`;
-- Rename temporary table "new_stat_rollups" to "stat_rollups"
ALTER TABLE `new_stat_rollups` RENAME TO `stat_rollups`;
-- Create index "statrollup_organization_id_dim_span_month_key" to table: "stat_rollups"
CREATE UNIQUE INDEX `statrollup_organization_id_dim_span_month_key` ON `stat_rollups` (`organization_id`, `dim`, `span`, `month`, `key`);
-- Create "plan_totals" table
CREATE TABLE `plan_totals` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `year` integer NOT NULL, `target` integer NULL, `members` integer NULL, `organization_id` integer NOT NULL, CONSTRAINT `plan_totals_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "plan_totals" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("plan_totals", 55834574848);
-- Create index "plantotal_organization_id_year" to table: "plan_totals"
CREATE UNIQUE INDEX `plantotal_organization_id_year` ON `plan_totals` (`organization_id`, `year`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
