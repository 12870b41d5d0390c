// Package model holds the GraphQL types gqlgen generates that have no ent counterpart.
package model
