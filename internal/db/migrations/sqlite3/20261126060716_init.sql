-- Create "admissions" table
CREATE TABLE `admissions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `resolution_on` date NOT NULL, `decision_no` text NOT NULL, `decision_on` date NOT NULL, `admitted_on` date NOT NULL, `ceremony_delay_reason` text NULL, `age_exception` bool NOT NULL DEFAULT (false), `exception_note` text NULL, `first_introducer_name` text NULL, `first_introducer_card_no` text NULL, `second_introducer_name` text NULL, `second_introducer_card_no` text NULL, `probation_ends_on` date NOT NULL, `status` text NOT NULL DEFAULT ('PROBATIONARY'), `recognized_on` date NULL, `not_recognized_on` date NULL, `left_on` date NULL, `left_reason` text NULL, `first_introducer_id` integer NULL, `second_introducer_id` integer NULL, `candidate_id` integer NOT NULL, `organization_id` integer NOT NULL, CONSTRAINT `admissions_candidates_first_introducer` FOREIGN KEY (`first_introducer_id`) REFERENCES `candidates` (`id`) ON DELETE RESTRICT, CONSTRAINT `admissions_candidates_second_introducer` FOREIGN KEY (`second_introducer_id`) REFERENCES `candidates` (`id`) ON DELETE RESTRICT, CONSTRAINT `admissions_candidates_admission` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`) ON DELETE RESTRICT, CONSTRAINT `admissions_organizations_admissions` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Create index "admissions_candidate_id_key" to table: "admissions"
CREATE UNIQUE INDEX `admissions_candidate_id_key` ON `admissions` (`candidate_id`);
-- Create index "admission_organization_id_admitted_on" to table: "admissions"
CREATE INDEX `admission_organization_id_admitted_on` ON `admissions` (`organization_id`, `admitted_on`);
-- Create index "admission_admitted_on" to table: "admissions"
CREATE INDEX `admission_admitted_on` ON `admissions` (`admitted_on`);
-- Create index "admission_status" to table: "admissions"
CREATE INDEX `admission_status` ON `admissions` (`status`);
-- Create "annual_plans" table
CREATE TABLE `annual_plans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `year` integer NOT NULL, `admission_target` integer NOT NULL, `members_at_start` integer NULL, `organization_id` integer NOT NULL, CONSTRAINT `annual_plans_organizations_annual_plans` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "annual_plans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("annual_plans", 4294967296);
-- Create index "annualplan_organization_id_year" to table: "annual_plans"
CREATE UNIQUE INDEX `annualplan_organization_id_year` ON `annual_plans` (`organization_id`, `year`);
-- Create index "annualplan_year" to table: "annual_plans"
CREATE INDEX `annualplan_year` ON `annual_plans` (`year`);
-- Create "candidates" table
CREATE TABLE `candidates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `full_name` text NOT NULL, `gender` text NOT NULL, `birth_date` date NOT NULL, `ethnicity` text NOT NULL DEFAULT ('Kinh'), `religion` text NULL, `general_education` text NOT NULL DEFAULT ('UPPER_SECONDARY'), `professional_level` text NOT NULL DEFAULT ('NONE'), `political_theory_level` text NOT NULL DEFAULT ('NONE'), `occupation` text NOT NULL, `youth_union_member` bool NOT NULL DEFAULT (false), `national_id` text NULL, `phone` text NULL, `status` text NOT NULL DEFAULT ('SOURCE'), `organization_id` integer NOT NULL, CONSTRAINT `candidates_organizations_candidates` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "candidates" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("candidates", 8589934592);
-- Create index "candidates_national_id_key" to table: "candidates"
CREATE UNIQUE INDEX `candidates_national_id_key` ON `candidates` (`national_id`);
-- Create index "candidates_phone_key" to table: "candidates"
CREATE UNIQUE INDEX `candidates_phone_key` ON `candidates` (`phone`);
-- Create index "candidate_organization_id_status" to table: "candidates"
CREATE INDEX `candidate_organization_id_status` ON `candidates` (`organization_id`, `status`);
-- Create index "candidate_full_name_birth_date_organization_id" to table: "candidates"
CREATE INDEX `candidate_full_name_birth_date_organization_id` ON `candidates` (`full_name`, `birth_date`, `organization_id`);
-- Create "disciplinary_actions" table
CREATE TABLE `disciplinary_actions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `level` text NOT NULL, `decided_on` date NOT NULL, `reason` text NULL, `admission_id` integer NOT NULL, CONSTRAINT `disciplinary_actions_admissions_disciplinary_actions` FOREIGN KEY (`admission_id`) REFERENCES `admissions` (`id`) ON DELETE RESTRICT);
-- Set sequence for "disciplinary_actions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("disciplinary_actions", 12884901888);
-- Create index "disciplinaryaction_admission_id" to table: "disciplinary_actions"
CREATE INDEX `disciplinaryaction_admission_id` ON `disciplinary_actions` (`admission_id`);
-- Create "enrollments" table
CREATE TABLE `enrollments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `passed` bool NOT NULL DEFAULT (false), `certificate_no` text NULL, `certificate_on` date NULL, `candidate_id` integer NOT NULL, `training_class_id` integer NOT NULL, CONSTRAINT `enrollments_candidates_candidate` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`) ON DELETE CASCADE, CONSTRAINT `enrollments_training_classes_training_class` FOREIGN KEY (`training_class_id`) REFERENCES `training_classes` (`id`) ON DELETE CASCADE);
-- Set sequence for "enrollments" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("enrollments", 17179869184);
-- Create index "enrollment_candidate_id_training_class_id" to table: "enrollments"
CREATE UNIQUE INDEX `enrollment_candidate_id_training_class_id` ON `enrollments` (`candidate_id`, `training_class_id`);
-- Create index "enrollment_training_class_id" to table: "enrollments"
CREATE INDEX `enrollment_training_class_id` ON `enrollments` (`training_class_id`);
-- Create index "enrollment_certificate_on" to table: "enrollments"
CREATE INDEX `enrollment_certificate_on` ON `enrollments` (`certificate_on`);
-- Create "organizations" table
CREATE TABLE `organizations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `sector` text NOT NULL, `depth` integer NOT NULL DEFAULT (0), `founded_on` date NOT NULL, `dissolved_on` date NULL, `parent_id` integer NULL, CONSTRAINT `organizations_organizations_children` FOREIGN KEY (`parent_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "organizations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organizations", 21474836480);
-- Create index "organizations_code_key" to table: "organizations"
CREATE UNIQUE INDEX `organizations_code_key` ON `organizations` (`code`);
-- Create index "organization_parent_id" to table: "organizations"
CREATE INDEX `organization_parent_id` ON `organizations` (`parent_id`);
-- Create index "organization_kind" to table: "organizations"
CREATE INDEX `organization_kind` ON `organizations` (`kind`);
-- Create "organization_closures" table
CREATE TABLE `organization_closures` (`depth` integer NOT NULL, `organization_id` integer NOT NULL, `descendant_id` integer NOT NULL, PRIMARY KEY (`organization_id`, `descendant_id`), CONSTRAINT `organization_closures_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE, CONSTRAINT `organization_closures_organizations_descendant` FOREIGN KEY (`descendant_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
-- Set sequence for "organization_closures" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("organization_closures", 25769803776);
-- Create index "organizationclosure_descendant_id_depth" to table: "organization_closures"
CREATE INDEX `organizationclosure_descendant_id_depth` ON `organization_closures` (`descendant_id`, `depth`);
-- Create "training_classes" table
CREATE TABLE `training_classes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `starts_on` date NOT NULL, `ends_on` date NOT NULL, `location` text NULL, `organizer_id` integer NOT NULL, CONSTRAINT `training_classes_organizations_training_classes` FOREIGN KEY (`organizer_id`) REFERENCES `organizations` (`id`) ON DELETE RESTRICT);
-- Set sequence for "training_classes" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("training_classes", 30064771072);
-- Create index "trainingclass_organizer_id_starts_on" to table: "training_classes"
CREATE INDEX `trainingclass_organizer_id_starts_on` ON `training_classes` (`organizer_id`, `starts_on`);
-- Create index "trainingclass_kind_starts_on" to table: "training_classes"
CREATE INDEX `trainingclass_kind_starts_on` ON `training_classes` (`kind`, `starts_on`);
