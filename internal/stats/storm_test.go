package stats_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/ent/admission"
	"ketnap/ent/auditevent"
	"ketnap/graph/gqltest"
	"ketnap/graph/server"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/stats/rollup"
)

// Storm sizes: 50 clients, each sending stormOps random workflow mutations
// over stormCands candidates of stormOrgs grassroots branches.
const (
	stormClients = 50
	stormOps     = 8
	stormCands   = 12
	stormOrgs    = 2
)

// stormLog is what the storm's clients were told succeeded.
type stormLog struct {
	mu         sync.Mutex
	admits     map[string]string         // admission → candidate
	byCand     map[string][]string       // candidate → acknowledged admissions
	ops        map[string]map[string]int // admission → operation → acknowledged count
	moves      map[string][]string       // candidate → acknowledged destinations
	targets    map[string][]int          // plan → acknowledged targets
	disciplins map[string]int            // admission → acknowledged disciplinary actions
	failures   map[string]int            // "operation code" → count
}

func (l *stormLog) op(adm, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ops[adm] == nil {
		l.ops[adm] = map[string]int{}
	}
	l.ops[adm][name]++
}

// TestStorm sends 50 clients' random workflow mutations at once over a
// small shared set of candidates, admissions and plans, through the real
// GraphQL API, and then checks that every acknowledged write is there
// exactly once, that no impossible state exists, that every write has its
// one audit event, that the rollups equal a rebuild and that every
// statistic equals the oracle's on the final records.
func TestStorm(t *testing.T) {
	gqltest.ForEachDialect(t, func(t *testing.T, dialect string) {
		c := gqltest.New(t, dialect, server.Config{ComplexityLimit: 1 << 30})
		id := func(q string, vars map[string]any, field string) string {
			t.Helper()
			var out map[string]struct{ ID string }
			c.MustDo(q, vars, &out)
			return out[field].ID
		}
		root := id(`mutation { createOrganization(input: {code: "DB", name: "Đảng bộ", kind: BLOC, sector: STATE_AGENCY, foundedOn: "2000-01-01"}) { id } }`, nil, "createOrganization")
		var orgs []string
		for i := range stormOrgs {
			orgs = append(orgs, id(`mutation($p: ID!, $c: String!) { createOrganization(input: {code: $c, name: "Chi bộ", kind: GRASSROOTS_BRANCH, sector: STATE_AGENCY, foundedOn: "2000-01-01", parentID: $p}) { id } }`,
				map[string]any{"p": root, "c": fmt.Sprintf("CB%d", i+1)}, "createOrganization"))
		}
		cls := id(`mutation($o: ID!) { createTrainingClass(input: {name: "Lớp nhận thức", kind: AWARENESS, startsOn: "2019-05-27", endsOn: "2019-05-31", organizerID: $o}) { id } }`,
			map[string]any{"o": root}, "createTrainingClass")
		var cands []string
		for i := range stormCands {
			cand := id(`mutation($in: CreateCandidateInput!) { createCandidate(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"fullName": fmt.Sprintf("Quần chúng %d", i+1), "gender": []string{"FEMALE", "MALE"}[i%2], "birthDate": fmt.Sprintf("19%02d-01-15", 80+i),
				"occupation": "CIVIL_SERVANT", "organizationID": orgs[i%stormOrgs], "nationalID": fmt.Sprintf("1%011d", i), "ethnicity": "Kinh",
			}}, "createCandidate")
			c.MustDo(`mutation($c: ID!, $k: ID!) { createEnrollment(input: {candidateID: $c, trainingClassID: $k, passed: true, certificateNo: "GCN", certificateOn: "2019-06-01"}) { id } }`,
				map[string]any{"c": cand, "k": cls}, nil)
			cands = append(cands, cand)
		}
		var plans []string
		initialTarget := map[string]int{}
		for _, o := range append([]string{root}, orgs...) {
			for _, y := range []int{2020, 2021} {
				p := id(`mutation($o: ID!, $y: Int!) { createAnnualPlan(input: {organizationID: $o, year: $y, admissionTarget: 3, membersAtStart: 40}) { id } }`,
					map[string]any{"o": o, "y": y}, "createAnnualPlan")
				plans = append(plans, p)
				initialTarget[p] = 3
			}
		}
		initialOrg := map[string]string{}
		for i, cand := range cands {
			initialOrg[cand] = orgs[i%stormOrgs]
		}

		log := &stormLog{admits: map[string]string{}, byCand: map[string][]string{}, ops: map[string]map[string]int{},
			moves: map[string][]string{}, targets: map[string][]int{}, disciplins: map[string]int{}, failures: map[string]int{}}
		var nextTarget struct {
			sync.Mutex
			n int
		}
		var wg sync.WaitGroup
		for client := range stormClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(client), 13))
				for range stormOps {
					log.mu.Lock()
					var adms []string
					for a := range log.admits {
						adms = append(adms, a)
					}
					log.mu.Unlock()
					slices.Sort(adms)
					op := r.IntN(7)
					if len(adms) == 0 {
						op = 0
					}
					adm := ""
					if len(adms) > 0 {
						adm = adms[r.IntN(len(adms))]
					}
					year := 2020 + r.IntN(2)
					var name string
					var err error
					switch op {
					case 0:
						name = "admit"
						cand := cands[r.IntN(len(cands))]
						var out struct{ AdmitCandidate struct{ ID string } }
						err = c.Do(`mutation($in: AdmitCandidateInput!) { admitCandidate(input: $in) { id } }`, map[string]any{"in": map[string]any{
							"candidateID": cand, "resolutionOn": fmt.Sprintf("%d-03-02", year), "decisionNo": fmt.Sprintf("%d-QĐ/ĐU", client),
							"decisionOn": fmt.Sprintf("%d-03-16", year), "admittedOn": fmt.Sprintf("%d-03-23", year),
							"firstIntroducer":  map[string]any{"name": "A", "cardNo": "TD-A"},
							"secondIntroducer": map[string]any{"name": "B", "cardNo": "TD-B"},
						}}, &out)
						if err == nil {
							log.mu.Lock()
							log.admits[out.AdmitCandidate.ID] = cand
							log.byCand[cand] = append(log.byCand[cand], out.AdmitCandidate.ID)
							log.mu.Unlock()
						}
					case 1:
						name = "recognize"
						err = c.Do(`mutation($a: ID!) { recognizeMember(admissionID: $a, on: "2022-04-01") { id } }`, map[string]any{"a": adm}, nil)
					case 2:
						name = "notRecognized"
						err = c.Do(`mutation($a: ID!) { markNotRecognized(admissionID: $a, on: "2022-04-01") { id } }`, map[string]any{"a": adm}, nil)
					case 3:
						name = "leave"
						err = c.Do(`mutation($a: ID!) { recordLeaving(admissionID: $a, on: "2022-09-01", reason: ALLOWED_TO_LEAVE) { id } }`, map[string]any{"a": adm}, nil)
					case 4:
						name = "discipline"
						err = c.Do(`mutation($in: RecordDisciplineInput!) { recordDiscipline(input: $in) { id } }`, map[string]any{"in": map[string]any{
							"admissionID": adm, "level": []string{"REPRIMAND", "WARNING", "DISMISSAL"}[r.IntN(3)], "decidedOn": "2021-12-01",
						}}, nil)
						if err == nil {
							log.mu.Lock()
							log.disciplins[adm]++
							log.mu.Unlock()
						}
					case 5:
						name = "move"
						cand, dest := cands[r.IntN(len(cands))], orgs[r.IntN(len(orgs))]
						err = c.Do(`mutation($c: ID!, $o: ID!) { updateCandidate(id: $c, input: {organizationID: $o}) { id } }`, map[string]any{"c": cand, "o": dest}, nil)
						if err == nil {
							log.mu.Lock()
							log.moves[cand] = append(log.moves[cand], dest)
							log.mu.Unlock()
						}
					case 6:
						name = "plan"
						p := plans[r.IntN(len(plans))]
						nextTarget.Lock()
						nextTarget.n++
						target := 3 + nextTarget.n // every update changes the value
						nextTarget.Unlock()
						err = c.Do(`mutation($p: ID!, $n: Int!) { updateAnnualPlan(id: $p, input: {admissionTarget: $n}) { id } }`, map[string]any{"p": p, "n": target}, nil)
						if err == nil {
							log.mu.Lock()
							log.targets[p] = append(log.targets[p], target)
							log.mu.Unlock()
						}
					}
					if err != nil {
						e, ok := err.(gqltest.Errors)
						if !ok || e.Code() == "" || e.Code() == string(apperr.CodeInternal) {
							t.Errorf("%s failed without a workflow code: %v", name, err)
						}
						log.mu.Lock()
						log.failures[name+" "+e.Code()]++
						log.mu.Unlock()
					} else if op >= 1 && op <= 3 {
						log.op(adm, name)
					}
				}
			}()
		}
		wg.Wait()
		t.Logf("acknowledged: %d admissions, %d transitions, %d moves, %d plan updates; refused: %v",
			len(log.admits), countOps(log.ops), countLists(log.moves), countLists(log.targets), log.failures)

		ctx := viewer.SystemContext(t.Context())
		db := c.DB.Client
		// Every acknowledged admission exists, once, and there is no other;
		// no person has two.
		all, err := db.Admission.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		perCand := map[int]int{}
		for _, a := range all {
			perCand[a.CandidateID]++
			if perCand[a.CandidateID] > 1 {
				t.Errorf("candidate %d has %d admissions", a.CandidateID, perCand[a.CandidateID])
			}
			if _, ok := log.admits[gqltest.ID(a.ID)]; !ok {
				t.Errorf("admission %d exists but no client was told it was written", a.ID)
			}
		}
		if len(all) != len(log.admits) {
			t.Errorf("%d admissions stored, %d acknowledged", len(all), len(log.admits))
		}
		for cand, adms := range log.byCand {
			if len(adms) > 1 {
				t.Errorf("candidate %s admitted %d times", cand, len(adms))
			}
		}
		// Each admission's state is the one its acknowledged transitions
		// give, each transition at most once, never an impossible mix.
		for _, a := range all {
			ops := log.ops[gqltest.ID(a.ID)]
			for name, n := range ops {
				if n > 1 {
					t.Errorf("admission %d: %s acknowledged %d times", a.ID, name, n)
				}
			}
			if ops["recognize"] > 0 && ops["notRecognized"] > 0 {
				t.Errorf("admission %d both recognized and not recognized", a.ID)
			}
			want := admission.StatusPROBATIONARY
			switch {
			case ops["leave"] > 0:
				want = admission.StatusLEFT
			case ops["notRecognized"] > 0:
				want = admission.StatusNOT_RECOGNIZED
			case ops["recognize"] > 0:
				want = admission.StatusFULL
			}
			if a.Status != want {
				t.Errorf("admission %d is %s after %v, want %s", a.ID, a.Status, ops, want)
			}
			if (a.RecognizedOn != nil) != (ops["recognize"] > 0) || (a.NotRecognizedOn != nil) != (ops["notRecognized"] > 0) ||
				(a.LeftOn != nil) != (ops["leave"] > 0) {
				t.Errorf("admission %d: dates recognized %v, not recognized %v, left %v after %v", a.ID, a.RecognizedOn, a.NotRecognizedOn, a.LeftOn, ops)
			}
			n, err := a.QueryDisciplinaryActions().Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != log.disciplins[gqltest.ID(a.ID)] {
				t.Errorf("admission %d has %d disciplinary actions, %d acknowledged", a.ID, n, log.disciplins[gqltest.ID(a.ID)])
			}
			// One audit event per logical change of the admission: its
			// creation and each acknowledged transition.
			events, err := db.AuditEvent.Query().Where(auditevent.EntityType("Admission"), auditevent.EntityID(a.ID)).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := 1 + countOps(map[string]map[string]int{"": ops}); events != want {
				t.Errorf("admission %d has %d audit events, want %d (its creation and %v)", a.ID, events, want, ops)
			}
		}
		if n, err := db.DisciplinaryAction.Query().Count(ctx); err != nil || n != sum(log.disciplins) {
			t.Errorf("%d disciplinary actions stored (%v), %d acknowledged", n, err, sum(log.disciplins))
		}
		if n, err := db.AuditEvent.Query().Where(auditevent.EntityType("DisciplinaryAction")).Count(ctx); err != nil || n != sum(log.disciplins) {
			t.Errorf("%d disciplinary audit events (%v), %d acknowledged", n, err, sum(log.disciplins))
		}
		// Moves and plan updates: the final value is one acknowledged, and
		// each acknowledged update has its audit event.
		for _, cand := range cands {
			cid := atoi(t, cand)
			got, err := db.Candidate.Get(ctx, cid)
			if err != nil {
				t.Fatal(err)
			}
			if ok := append([]string{initialOrg[cand]}, log.moves[cand]...); !slices.Contains(ok, gqltest.ID(got.OrganizationID)) {
				t.Errorf("candidate %s is in organization %d, none of %v", cand, got.OrganizationID, ok)
			}
		}
		for _, p := range plans {
			got, err := db.AnnualPlan.Get(ctx, atoi(t, p))
			if err != nil {
				t.Fatal(err)
			}
			ok := log.targets[p]
			if len(ok) == 0 {
				ok = []int{initialTarget[p]}
			}
			if !slices.Contains(ok, got.AdmissionTarget) {
				t.Errorf("plan %s has target %d, none of %v", p, got.AdmissionTarget, ok)
			}
			events, err := db.AuditEvent.Query().Where(auditevent.EntityType("AnnualPlan"), auditevent.EntityID(got.ID),
				auditevent.OperationEQ(auditevent.OperationUPDATE)).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if events != len(log.targets[p]) {
				t.Errorf("plan %s has %d update audit events, %d updates acknowledged", p, events, len(log.targets[p]))
			}
		}

		// The rollups equal a rebuild, and every statistic the oracle's.
		diffs, err := rollup.Verify(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range diffs {
			if i == 10 {
				t.Errorf("… %d differences in all", len(diffs))
				break
			}
			t.Errorf("rollups differ from a rebuild: %s", d)
		}
		w := loadWorld(t, db)
		for _, org := range append([]string{"", root}, orgs...) {
			for _, p := range []period{{date(2020, 1, 1), date(2022, 12, 31)}, {date(2021, 1, 1), date(2021, 12, 31)}, {date(2022, 4, 1), date(2022, 9, 30)}} {
				vars := map[string]any{"from": p.from.Format(time.DateOnly), "to": p.to.Format(time.DateOnly)}
				rootID := 0
				if org != "" {
					vars["org"], rootID = org, atoi(t, org)
				}
				for _, view := range []string{"AS_OF", "CURRENT"} {
					vars["tree"], w.view = view, view
					var got struct{ Stats any }
					c.MustDo(propertyQuery, vars, &got)
					var ds []string
					diff("stats", dropLabels(got.Stats), toMap(t, w.oracle(rootID, p.from, p.to, 1)), &ds)
					if len(ds) > 0 {
						t.Errorf("%s, org %q, %s..%s:\n%s", view, org, vars["from"], vars["to"], strings.Join(ds, "\n"))
					}
				}
			}
		}
	})
}

func countOps(ops map[string]map[string]int) int {
	n := 0
	for _, m := range ops {
		n += sum(m)
	}
	return n
}

func countLists[T any](m map[string][]T) int {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return n
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}
