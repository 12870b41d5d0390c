package db

//go:generate go run ./gen
