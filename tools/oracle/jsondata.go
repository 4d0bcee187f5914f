package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// decodeUnstructured decodes JSON the way Kubernetes' unstructured JSON does
// (k8s.io/apimachinery/pkg/util/json): every number becomes int64 when it
// parses as a base-10 int64, else float64; a number that is neither (e.g.
// 1e400) is an error. This is what KWOK's renderer receives for objects.
func decodeUnstructured(raw []byte) (any, error) {
	v, err := decodeUseNumber(raw)
	if err != nil {
		return nil, err
	}
	return convertNumbers(v)
}

// decodeUseNumber decodes one JSON value keeping numbers as json.Number
// (what templates see after the renderer's own re-decode).
func decodeUseNumber(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// decodeStandard decodes JSON with plain json.Unmarshal (float64 numbers),
// as expression.ToJSONStandard gives for objects in KWOK's selectors.
func decodeStandard(raw []byte) (any, error) {
	var v any
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

func convertNumbers(v any) (any, error) {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	case map[string]any:
		for k, e := range t {
			c, err := convertNumbers(e)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
		return t, nil
	case []any:
		for i, e := range t {
			c, err := convertNumbers(e)
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
		return t, nil
	default:
		return v, nil
	}
}
