-- Drop index "enrollment_certificate_on" from table: "enrollments"
DROP INDEX `enrollment_certificate_on`;
-- Create index "enrollment_certificate_on_training_class_id_candidate_id" to table: "enrollments"
CREATE INDEX `enrollment_certificate_on_training_class_id_candidate_id` ON `enrollments` (`certificate_on`, `training_class_id`, `candidate_id`);
