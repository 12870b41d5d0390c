package db

// NormalizeText is the Go work of migration 20261202235900, for tests.
var NormalizeText = normalizeText
