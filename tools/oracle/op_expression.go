package main

import (
	"context"
	"fmt"
	"time"

	"github.com/itchyny/gojq"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/utils/expression"
)

// Ops of the expression family: KWOK's jq wrapper and selector requirements.

func init() {
	registerOp("jq", []string{"expr", "data"}, opJQ)
	registerOp("selector", []string{"key", "operator", "values", "data"}, opSelector)
}

// queryTimeout bounds a query so an endless generator (repeat, range(infinite))
// cannot hang the protocol; hitting it is reported as a request error.
const queryTimeout = 10 * time.Second

type jqResult struct {
	// KWOK's expression.Query.Execute: null when KWOK swallowed an error
	// (Execute returns nil), [] when there were no non-null outputs.
	Values     []any    `json:"values"`
	Types      []string `json:"types"`
	ValuesJSON []string `json:"values_json"`
	// gojq run directly (same Parse + Compile without options), every output
	// including nulls, up to and excluding the first error.
	Raw      []any    `json:"raw"`
	RawTypes []string `json:"raw_types"`
	RawJSON  []string `json:"raw_json"`
	RawErr   *string  `json:"raw_err"`
	// Parse or compile error of expression.NewQuery (then all else is null).
	CompileErr *string `json:"compile_err"`
}

// encodeValues gives the JSON-safe value, its %T and its JSON text for each
// output. A value encoding/json rejects (NaN, ±Inf inside) becomes null with
// JSON text "!<encoding error>".
func encodeValues(vs []any) (vals []any, types, texts []string) {
	if vs == nil {
		return nil, nil, nil
	}
	vals = make([]any, len(vs))
	types = make([]string, len(vs))
	texts = make([]string, len(vs))
	for i, v := range vs {
		types[i] = fmt.Sprintf("%T", v)
		b, err := marshalJSON(v)
		if err != nil {
			texts[i] = "!" + err.Error()
			continue
		}
		vals[i] = v
		texts[i] = string(b)
	}
	return vals, types, texts
}

func opJQ(req *request) (any, error) {
	var expr string
	if err := field(req, "expr", true, &expr); err != nil {
		return nil, err
	}
	data, err := decodeStandard(req.Fields["data"])
	if err != nil {
		return nil, fmt.Errorf("field \"data\": %w", err)
	}
	res := &jqResult{}
	q, err := expression.NewQuery(expr)
	if err != nil {
		s := err.Error()
		res.CompileErr = &s
		return res, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	values, err := q.Execute(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("Execute: %w", err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("query timed out after %s", queryTimeout)
	}
	res.Values, res.Types, res.ValuesJSON = encodeValues(values)

	raw, rawErr, err := runRaw(ctx, expr, data)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("query timed out after %s", queryTimeout)
	}
	res.Raw, res.RawTypes, res.RawJSON = encodeValues(raw)
	res.RawErr = rawErr
	return res, nil
}

// runRaw compiles expr exactly as expression.NewQuery does and collects all
// outputs until the iterator ends or yields its first error.
func runRaw(ctx context.Context, expr string, data any) ([]any, *string, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, nil, fmt.Errorf("gojq.Parse disagrees with NewQuery: %w", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, nil, fmt.Errorf("gojq.Compile disagrees with NewQuery: %w", err)
	}
	out := []any{}
	iter := code.RunWithContext(ctx, data)
	for {
		v, ok := iter.Next()
		if !ok {
			return out, nil, nil
		}
		if e, isErr := v.(error); isErr {
			s := e.Error()
			return out, &s, nil
		}
		out = append(out, v)
	}
}

type selectorResult struct {
	Matches *bool   `json:"matches"`
	Err     *string `json:"err"`
}

func opSelector(req *request) (any, error) {
	var key, op string
	var values []string
	if err := field(req, "key", true, &key); err != nil {
		return nil, err
	}
	if err := field(req, "operator", true, &op); err != nil {
		return nil, err
	}
	if err := field(req, "values", false, &values); err != nil {
		return nil, err
	}
	data, err := decodeStandard(req.Fields["data"])
	if err != nil {
		return nil, fmt.Errorf("field \"data\": %w", err)
	}
	res := &selectorResult{}
	r, err := expression.NewRequirement(key, internalversion.SelectorOperator(op), values)
	if err != nil {
		s := err.Error()
		res.Err = &s
		return res, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	m, err := r.Matches(ctx, data)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("query timed out after %s", queryTimeout)
	}
	if err != nil {
		s := err.Error()
		res.Err = &s
		return res, nil
	}
	res.Matches = &m
	return res, nil
}
