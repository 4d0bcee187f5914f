package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func init() {
	registerOp("test-panic", nil, func(*request) (any, error) { panic("boom") })
}

func runLines(t *testing.T, in string) []map[string]any {
	t.Helper()
	var out bytes.Buffer
	if err := serve(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	var res []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad output line %q: %v", line, err)
		}
		res = append(res, m)
	}
	return res
}

func TestProtocolErrorsKeepGoing(t *testing.T) {
	in := strings.Join([]string{
		`{"id":1,"op":"nope"}`,
		`not json`,
		``,
		`{"id":{"k":[1, 2]},"op":"test-panic"}`,
		`{"id":3}`,
		`{"id":4,"op":"render","template":"x","bogus":1}`,
		`{"id":5,"op":"render","template":"{{ .a }}","data":{"a":1.5}}`,
		`[1]`,
		`{"id":6,"op":"render","template":"x","data":{"a":1e400}}`,
	}, "\n")
	res := runLines(t, in)
	if len(res) != 8 {
		t.Fatalf("want 8 responses (blank line skipped), got %d: %v", len(res), res)
	}
	wantErr := []string{"unknown op", "bad request", "panic: boom", "missing op", `unknown field "bogus"`, "", "bad request", "value out of range"}
	for i, w := range wantErr {
		e, _ := res[i]["error"].(string)
		if w == "" {
			if e != "" {
				t.Errorf("response %d: unexpected error %q", i, e)
			}
			continue
		}
		if !strings.Contains(e, w) {
			t.Errorf("response %d: error %q does not contain %q", i, e, w)
		}
	}
	if id, _ := json.Marshal(res[2]["id"]); string(id) != `{"k":[1,2]}` {
		t.Errorf("id not echoed: %s", id)
	}
	if res[5]["out"] != "1.5" {
		t.Errorf("render: got %v", res[5])
	}
}

func TestRenderProfilesAndClock(t *testing.T) {
	in := strings.Join([]string{
		`{"id":1,"op":"render","profile":"pod","template":"{{ PodIP }} {{ PodIP }} {{ NodeIPWith \"ab\" }}"}`,
		`{"id":2,"op":"render","profile":"pod","template":"{{ PodIP }}"}`,
		`{"id":3,"op":"render","profile":"harness","template":"{{ Now }} {{ NodeIPWith 1 }}","now":"2024-01-01T00:00:00Z"}`,
		`{"id":4,"op":"render","template":"{{ Now }}","now":"2024-01-01T00:00:00.5Z"}`,
		`{"id":5,"op":"render","profile":"nope","template":"x"}`,
	}, "\n")
	res := runLines(t, in)
	want := []string{"10.0.0.2 10.0.0.3 10.1.0.2", "10.0.0.2", "<Now> <NodeIPWith(1)>", "2024-01-01T00:00:00.5Z"}
	for i, w := range want {
		if res[i]["out"] != w {
			t.Errorf("response %d: got %v, want out %q", i, res[i], w)
		}
	}
	if e, _ := res[4]["error"].(string); !strings.Contains(e, "unknown profile") {
		t.Errorf("unknown profile not reported: %v", res[4])
	}
}

func TestAddIPv4Carries(t *testing.T) {
	if got := addIPv4(10, 0, 0, 0, 256+2); got != "10.0.1.2" {
		t.Errorf("got %s", got)
	}
}
