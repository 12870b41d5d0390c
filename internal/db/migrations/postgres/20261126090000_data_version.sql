-- The data version: a counter every change to the tables the statistics
-- and organizations read from moves (statement triggers, so that every path
-- counts: the ent client, COPY bulk loads, another process). The server's
-- answer cache (graph/server) keeps an answer only while the version it was
-- computed at is current. The increment commits with the change. BEFORE
-- triggers: a transaction takes the version's row lock before the rows of
-- its first tracked write (a row locked FOR UPDATE before it excepted).
CREATE TABLE "data_versions" ("id" bigint NOT NULL, "version" bigint NOT NULL, PRIMARY KEY ("id"));
INSERT INTO "data_versions" ("id", "version") VALUES (1, 0);
CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE "data_versions" SET "version" = "version" + 1 WHERE "id" = 1; RETURN NULL; END $$;
CREATE TRIGGER "organizations_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "organization_closures_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_closures" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "candidates_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "candidates" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "admissions_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "admissions" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "disciplinary_actions_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "disciplinary_actions" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "training_classes_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "training_classes" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "enrollments_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "enrollments" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "annual_plans_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "annual_plans" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "stat_rollups_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "stat_rollups" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "plan_totals_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "plan_totals" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
