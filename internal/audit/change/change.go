// Package change holds the value types of an audit record. It imports
// nothing from ketnap so that both the ent schema and the generated code can
// use it without an import cycle.
package change

// Field is one changed field of an audited entity: its name and its values
// before and after, JSON-encoded; nil when absent. Sensitive values are
// replaced by Masked before they are stored.
type Field struct {
	Field  string  `json:"field"`
	Before *string `json:"before,omitempty"`
	After  *string `json:"after,omitempty"`
}

// Masked replaces a sensitive value (national ID, phone, ethnicity,
// religion) in the audit trail: the trail says that it changed, never what to.
const Masked = `"[masked]"`
