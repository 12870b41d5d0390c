package server_test

import (
	"testing"

	"ketnap/ent/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
