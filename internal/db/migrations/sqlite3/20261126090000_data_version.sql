-- atlas:delimiter \n\n
-- The data version: a counter every change to the tables the statistics
-- and organizations read from moves (triggers, so that every path counts:
-- the ent client, bulk loads, another process). The server's answer cache
-- (graph/server) keeps an answer only while the version it was computed at
-- is current. Statements are separated by blank lines: trigger bodies hold
-- semicolons.
CREATE TABLE `data_versions` (`id` integer NOT NULL, `version` integer NOT NULL, PRIMARY KEY (`id`))

INSERT INTO `data_versions` (`id`, `version`) VALUES (1, 0)

CREATE TRIGGER `organizations_insert_version` AFTER INSERT ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organizations_update_version` AFTER UPDATE ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organizations_delete_version` AFTER DELETE ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_closures_insert_version` AFTER INSERT ON `organization_closures` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_closures_update_version` AFTER UPDATE ON `organization_closures` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_closures_delete_version` AFTER DELETE ON `organization_closures` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidates_insert_version` AFTER INSERT ON `candidates` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidates_update_version` AFTER UPDATE ON `candidates` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidates_delete_version` AFTER DELETE ON `candidates` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `admissions_insert_version` AFTER INSERT ON `admissions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `admissions_update_version` AFTER UPDATE ON `admissions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `admissions_delete_version` AFTER DELETE ON `admissions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `disciplinary_actions_insert_version` AFTER INSERT ON `disciplinary_actions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `disciplinary_actions_update_version` AFTER UPDATE ON `disciplinary_actions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `disciplinary_actions_delete_version` AFTER DELETE ON `disciplinary_actions` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `training_classes_insert_version` AFTER INSERT ON `training_classes` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `training_classes_update_version` AFTER UPDATE ON `training_classes` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `training_classes_delete_version` AFTER DELETE ON `training_classes` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `enrollments_insert_version` AFTER INSERT ON `enrollments` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `enrollments_update_version` AFTER UPDATE ON `enrollments` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `enrollments_delete_version` AFTER DELETE ON `enrollments` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `annual_plans_insert_version` AFTER INSERT ON `annual_plans` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `annual_plans_update_version` AFTER UPDATE ON `annual_plans` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `annual_plans_delete_version` AFTER DELETE ON `annual_plans` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `stat_rollups_insert_version` AFTER INSERT ON `stat_rollups` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `stat_rollups_update_version` AFTER UPDATE ON `stat_rollups` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `stat_rollups_delete_version` AFTER DELETE ON `stat_rollups` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `plan_totals_insert_version` AFTER INSERT ON `plan_totals` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `plan_totals_update_version` AFTER UPDATE ON `plan_totals` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `plan_totals_delete_version` AFTER DELETE ON `plan_totals` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END
