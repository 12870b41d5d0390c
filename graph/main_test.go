package graph_test

import (
	"testing"

	"ketnap/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
