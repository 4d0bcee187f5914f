package main

import (
	"encoding/json"
	"fmt"
	"sort"
)

// An op answers one request. It returns the result object (a struct or map
// that encodes to a JSON object; its fields are placed after "id" in the
// response) or an error for a malformed request. KWOK's own errors belong in
// the result (e.g. render's "err"), not in the returned error.
type opFunc func(req *request) (any, error)

type opSpec struct {
	fields map[string]bool // allowed request fields besides "id" and "op"
	run    opFunc
}

var ops = map[string]opSpec{}

// registerOp is called from the init function of each op-family file.
// fields lists the request fields the op accepts; any other field is
// reported as an error so that typos in case files cannot pass silently.
func registerOp(name string, fields []string, run opFunc) {
	if _, dup := ops[name]; dup {
		panic(fmt.Sprintf("op %q registered twice", name))
	}
	allowed := make(map[string]bool, len(fields))
	for _, f := range fields {
		allowed[f] = true
	}
	ops[name] = opSpec{fields: allowed, run: run}
}

// opNames lists the registered ops (for error messages and docs).
func opNames() []string {
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// request is one decoded protocol line.
type request struct {
	ID     json.RawMessage
	Op     string
	Fields map[string]json.RawMessage
}

func (r *request) has(name string) bool {
	raw, ok := r.Fields[name]
	return ok && string(raw) != "null"
}

// field decodes request field name into out. A missing or null field
// leaves out untouched and reports an error only if required.
func field[T any](r *request, name string, required bool, out *T) error {
	raw, ok := r.Fields[name]
	if !ok || string(raw) == "null" {
		if required {
			return fmt.Errorf("missing field %q", name)
		}
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("field %q: %w", name, err)
	}
	return nil
}
