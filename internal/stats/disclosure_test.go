package stats

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSuppressProperty checks the small-cell rule on random breakdowns: no
// named bucket below k, the merged bucket holds at least two values and k
// people (or everything), and the sum is unchanged.
func TestSuppressProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		k := 1 + r.IntN(5)
		var in []*Bucket
		sum := 0
		for j := range r.IntN(8) {
			n := r.IntN(6)
			if r.IntN(4) == 0 {
				n = r.IntN(40)
			}
			in = append(in, &Bucket{Key: fmt.Sprint("v", j), Count: n})
			sum += n
		}
		out := Suppress(in, k, "merged")
		got := 0
		for _, b := range out {
			got += b.Count
			if b.Key != SuppressedKey && b.Count > 0 && b.Count < k {
				t.Fatalf("case %d (k=%d): named bucket %s=%d below k: %v", i, k, b.Key, b.Count, out)
			}
			if b.Key == SuppressedKey && b.Count < k && b.Count != sum {
				t.Fatalf("case %d (k=%d): merged bucket %d below k", i, k, b.Count)
			}
		}
		if got != sum {
			t.Fatalf("case %d: sum %d, want %d", i, got, sum)
		}
	}
}
