-- atlas:delimiter \n\n
-- The tree's history and the candidates' status history (hand-written):
-- data-version triggers for the new tables, the organizations' triggers
-- again (the previous migration rebuilt that table, which drops them), and
-- the back-fill of the history from what is already recorded: today's tree
-- since always, each organization's name since its founding, and each
-- candidate's statuses from the dates recorded (created, certificate,
-- branch resolution, admission; the last change for the others).

CREATE TRIGGER `organizations_insert_version` AFTER INSERT ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organizations_update_version` AFTER UPDATE ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organizations_delete_version` AFTER DELETE ON `organizations` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_links_insert_version` AFTER INSERT ON `organization_links` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_links_update_version` AFTER UPDATE ON `organization_links` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_links_delete_version` AFTER DELETE ON `organization_links` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_names_insert_version` AFTER INSERT ON `organization_names` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_names_update_version` AFTER UPDATE ON `organization_names` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `organization_names_delete_version` AFTER DELETE ON `organization_names` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidate_status_insert_version` AFTER INSERT ON `candidate_status` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidate_status_update_version` AFTER UPDATE ON `candidate_status` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

CREATE TRIGGER `candidate_status_delete_version` AFTER DELETE ON `candidate_status` BEGIN UPDATE `data_versions` SET `version` = `version` + 1 WHERE `id` = 1; END

INSERT INTO organization_links (organization_id, descendant_id, depth, valid_from, valid_to)
SELECT c.organization_id, c.descendant_id, c.depth, '0001-01-01 00:00:00+00:00', '9999-12-31 00:00:00+00:00'
FROM organization_closures c
WHERE NOT EXISTS (SELECT 1 FROM organization_links l WHERE l.descendant_id = c.descendant_id)

INSERT INTO organization_names (organization_id, name, valid_from)
SELECT o.id, o.name, o.founded_on FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM organization_names n WHERE n.organization_id = o.id)

INSERT INTO candidate_status (candidate_id, organization_id, status, valid_from, valid_to)
WITH steps (cand, org, status, ord, d) AS (
  SELECT id, organization_id, 'SOURCE', 1, date(created_at) || ' 00:00:00+00:00' FROM candidates
  UNION ALL
  SELECT c.id, c.organization_id, 'TRAINED', 2, MIN(e.certificate_on) FROM candidates c
  JOIN enrollments e ON e.candidate_id = c.id JOIN training_classes t ON t.id = e.training_class_id
  WHERE e.passed AND t.kind = 'AWARENESS' AND e.certificate_on IS NOT NULL AND c.status IN ('TRAINED', 'APPLIED', 'ADMITTED')
  GROUP BY c.id, c.organization_id
  UNION ALL
  SELECT c.id, c.organization_id, 'TRAINED', 2, date(c.updated_at) || ' 00:00:00+00:00' FROM candidates c
  WHERE c.status = 'TRAINED' AND NOT EXISTS (SELECT 1 FROM enrollments e JOIN training_classes t ON t.id = e.training_class_id
    WHERE e.candidate_id = c.id AND e.passed AND t.kind = 'AWARENESS' AND e.certificate_on IS NOT NULL)
  UNION ALL
  SELECT id, organization_id, 'APPLIED', 3, COALESCE(resolution_on, date(updated_at) || ' 00:00:00+00:00') FROM candidates
  WHERE status = 'APPLIED' OR (status = 'ADMITTED' AND resolution_on IS NOT NULL)
  UNION ALL
  SELECT c.id, c.organization_id, 'ADMITTED', 4, a.admitted_on FROM candidates c JOIN admissions a ON a.candidate_id = c.id
  WHERE c.status = 'ADMITTED'
  UNION ALL
  SELECT id, organization_id, status, 5, date(updated_at) || ' 00:00:00+00:00' FROM candidates WHERE status IN ('WITHDRAWN', 'REJECTED')
), spans AS (
  SELECT cand, org, status, ord, MAX(d) OVER (PARTITION BY cand ORDER BY ord ROWS UNBOUNDED PRECEDING) AS f FROM steps
), fin AS (
  SELECT cand, org, status, f, COALESCE(LEAD(f) OVER (PARTITION BY cand ORDER BY ord), '9999-12-31 00:00:00+00:00') AS t FROM spans
)
SELECT cand, org, status, f, t FROM fin WHERE f < t AND NOT EXISTS (SELECT 1 FROM candidate_status s WHERE s.candidate_id = fin.cand)
