-- Create "stat_rollups" table
CREATE TABLE `stat_rollups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `month` integer NOT NULL, `dim` text NOT NULL, `key` text NOT NULL, `n` integer NOT NULL, `organization_id` integer NOT NULL, CONSTRAINT `stat_rollups_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "stat_rollups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("stat_rollups", 38654705664);
-- Create index "statrollup_organization_id_dim_month_key" to table: "stat_rollups"
CREATE UNIQUE INDEX `statrollup_organization_id_dim_month_key` ON `stat_rollups` (`organization_id`, `dim`, `month`, `key`);
