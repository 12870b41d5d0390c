-- The tree's history and the candidates' status history (hand-written):
-- data-version triggers for the new tables and the back-fill of the
-- history from what is already recorded: today's tree since always, each
-- organization's name since its founding, and each candidate's statuses
-- from the dates recorded (created, certificate, branch resolution,
-- admission; the last change for the others).
CREATE TRIGGER "organization_links_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_links" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "organization_names_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_names" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "candidate_status_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "candidate_status" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
INSERT INTO organization_links (organization_id, descendant_id, depth, valid_from, valid_to)
SELECT c.organization_id, c.descendant_id, c.depth, DATE '0001-01-01', DATE '9999-12-31'
FROM organization_closures c
WHERE NOT EXISTS (SELECT 1 FROM organization_links l WHERE l.descendant_id = c.descendant_id);
INSERT INTO organization_names (organization_id, name, valid_from)
SELECT o.id, o.name, o.founded_on FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM organization_names n WHERE n.organization_id = o.id);
INSERT INTO candidate_status (candidate_id, organization_id, status, valid_from, valid_to)
WITH steps (cand, org, status, ord, d) AS (
  SELECT id, organization_id, 'SOURCE', 1, (created_at AT TIME ZONE 'UTC')::date FROM candidates
  UNION ALL
  SELECT c.id, c.organization_id, 'TRAINED', 2, MIN(e.certificate_on) FROM candidates c
  JOIN enrollments e ON e.candidate_id = c.id JOIN training_classes t ON t.id = e.training_class_id
  WHERE e.passed AND t.kind = 'AWARENESS' AND e.certificate_on IS NOT NULL AND c.status IN ('TRAINED', 'APPLIED', 'ADMITTED')
  GROUP BY c.id, c.organization_id
  UNION ALL
  SELECT c.id, c.organization_id, 'TRAINED', 2, (c.updated_at AT TIME ZONE 'UTC')::date FROM candidates c
  WHERE c.status = 'TRAINED' AND NOT EXISTS (SELECT 1 FROM enrollments e JOIN training_classes t ON t.id = e.training_class_id
    WHERE e.candidate_id = c.id AND e.passed AND t.kind = 'AWARENESS' AND e.certificate_on IS NOT NULL)
  UNION ALL
  SELECT id, organization_id, 'APPLIED', 3, COALESCE(resolution_on, (updated_at AT TIME ZONE 'UTC')::date) FROM candidates
  WHERE status = 'APPLIED' OR (status = 'ADMITTED' AND resolution_on IS NOT NULL)
  UNION ALL
  SELECT c.id, c.organization_id, 'ADMITTED', 4, a.admitted_on FROM candidates c JOIN admissions a ON a.candidate_id = c.id
  WHERE c.status = 'ADMITTED'
  UNION ALL
  SELECT id, organization_id, status, 5, (updated_at AT TIME ZONE 'UTC')::date FROM candidates WHERE status IN ('WITHDRAWN', 'REJECTED')
), spans AS (
  SELECT cand, org, status, ord, MAX(d) OVER (PARTITION BY cand ORDER BY ord ROWS UNBOUNDED PRECEDING) AS f FROM steps
), fin AS (
  SELECT cand, org, status, f, COALESCE(LEAD(f) OVER (PARTITION BY cand ORDER BY ord), DATE '9999-12-31') AS t FROM spans
)
SELECT cand, org, status, f, t FROM fin WHERE f < t AND NOT EXISTS (SELECT 1 FROM candidate_status s WHERE s.candidate_id = fin.cand);
