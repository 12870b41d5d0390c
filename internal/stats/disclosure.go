package stats

import (
	"context"
	"sort"

	"ketnap/internal/access/viewer"
	"ketnap/internal/locale"
	"ketnap/internal/stats/dim"
)

// Statistical disclosure control of breakdowns (issue 12, item 2). A VIEWER
// sees aggregates only, yet a breakdown of one branch over one day can
// single a person out ("RELIGION: Phật giáo Nam tông 1"). In the sensitive
// dimensions, values counting fewer than k people are merged into one
// bucket whose label names no value; when that bucket would hold a single
// value, or fewer than k people, the smallest remaining value is merged
// too, so no value's count can be derived by subtraction. Totals are kept:
// the buckets still sum to the admissions. ANALYSTs and ADMINs see exact
// cells. What this does not cover, differencing two overlapping periods or
// subtrees, is documented in the README.

// DefaultMinCell is the smallest count a VIEWER sees for a named value of
// a sensitive dimension (--min-cell).
const DefaultMinCell = 3

// SuppressedKey is the key of the bucket that merges small cells.
const SuppressedKey = "SUPPRESSED"

// Sensitive lists the dimensions whose small cells are merged for a
// VIEWER: ethnicity and religion (sensitive data, Decree 13/2023) and
// Youth Union membership (a political affiliation).
var Sensitive = map[dim.Dimension]bool{dim.Ethnicity: true, dim.Religion: true, dim.YouthUnion: true}

type minCellKey struct{}

// WithMinCell returns a copy of ctx whose VIEWER breakdowns merge cells
// below k.
func WithMinCell(ctx context.Context, k int) context.Context {
	return context.WithValue(ctx, minCellKey{}, k)
}

func minCell(ctx context.Context) int {
	if k, ok := ctx.Value(minCellKey{}).(int); ok && k > 0 {
		return k
	}
	return DefaultMinCell
}

// disclose applies the small-cell rule to the buckets of by for the viewer
// of ctx.
func disclose(ctx context.Context, by dim.Dimension, buckets []*Bucket) []*Bucket {
	v := viewer.FromContext(ctx)
	if v == nil || v.Role != viewer.RoleViewer || !Sensitive[by] {
		return buckets
	}
	label := "Nhóm nhỏ (gộp)"
	if locale.From(ctx) == locale.EN {
		label = "Small groups (merged)"
	}
	return Suppress(buckets, minCell(ctx), label)
}

// Suppress merges the non-empty buckets counting fewer than k into one
// bucket labelled label, then the smallest others while that bucket holds
// a single value or fewer than k; empty buckets are dropped from a merge.
// Shares are recomputed; the sum is unchanged.
func Suppress(buckets []*Bucket, k int, label string) []*Bucket {
	var keep, small []*Bucket
	total := 0
	for _, b := range buckets {
		total += b.Count
		if b.Count > 0 && b.Count < k {
			small = append(small, b)
		} else {
			keep = append(keep, b)
		}
	}
	if len(small) == 0 {
		return buckets
	}
	merged := 0
	for _, b := range small {
		merged += b.Count
	}
	values := len(small)
	for values < 2 || merged < k {
		// The smallest non-empty kept bucket joins the merge.
		at := -1
		for i, b := range keep {
			if b.Count > 0 && (at < 0 || b.Count < keep[at].Count) {
				at = i
			}
		}
		if at < 0 {
			break
		}
		merged += keep[at].Count
		values++
		keep = append(keep[:at], keep[at+1:]...)
	}
	out := make([]*Bucket, 0, len(keep)+1)
	for _, b := range keep {
		if b.Count == 0 && values > 0 {
			continue // an empty named value says nothing; dropping it hides which were merged
		}
		out = append(out, &Bucket{Key: b.Key, Label: b.Label, Count: b.Count})
	}
	out = append(out, &Bucket{Key: SuppressedKey, Label: label, Count: merged})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	for _, b := range out {
		if total > 0 {
			b.Share = float64(b.Count) / float64(total)
		}
	}
	return out
}
