package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// serve runs the JSON-lines protocol: one request object per input line,
// exactly one response object per request, in order, flushed after each.
// Blank input lines are skipped. Nothing a request contains may stop the loop.
func serve(in io.Reader, out io.Writer) error {
	rd := bufio.NewReaderSize(in, 1<<16)
	wr := bufio.NewWriter(out)
	for {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if werr := writeLine(wr, handleLine(line)); werr != nil {
				return werr
			}
			if werr := wr.Flush(); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

func writeLine(w io.Writer, b []byte) error {
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err := w.Write([]byte{'\n'})
	return err
}

// handleLine turns one input line into one response line (without newline).
func handleLine(line []byte) []byte {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil || fields == nil {
		msg := "bad request: not a JSON object"
		if err != nil {
			msg = "bad request: " + err.Error()
		}
		return errorResponse(nil, msg)
	}
	req := &request{ID: fields["id"], Fields: fields}
	if len(req.ID) > 0 {
		var compact bytes.Buffer
		if json.Compact(&compact, req.ID) == nil {
			req.ID = compact.Bytes()
		}
	}
	delete(fields, "id")
	rawOp, ok := fields["op"]
	delete(fields, "op")
	if !ok {
		return errorResponse(req.ID, "missing op")
	}
	if err := json.Unmarshal(rawOp, &req.Op); err != nil {
		return errorResponse(req.ID, "unknown op")
	}
	spec, ok := ops[req.Op]
	if !ok {
		return errorResponse(req.ID, "unknown op")
	}
	for name := range fields {
		if !spec.fields[name] {
			return errorResponse(req.ID, fmt.Sprintf("unknown field %q for op %q", name, req.Op))
		}
	}
	result, err := runOp(spec.run, req)
	if err != nil {
		return errorResponse(req.ID, err.Error())
	}
	body, err := marshalJSON(result)
	if err != nil {
		return errorResponse(req.ID, "encoding result: "+err.Error())
	}
	return withID(req.ID, body)
}

// runOp calls an op, turning a panic into an error.
func runOp(run opFunc, req *request) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			result = nil
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return run(req)
}

// withID splices "id" in front of the fields of an encoded JSON object.
func withID(id json.RawMessage, body []byte) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	body = bytes.TrimSpace(body)
	var b bytes.Buffer
	b.WriteString(`{"id":`)
	b.Write(id)
	if len(body) < 2 || body[0] != '{' {
		// Not an object: should not happen; keep the protocol intact anyway.
		b.WriteString(`,"error":"op returned a non-object result"}`)
		return b.Bytes()
	}
	inner := bytes.TrimSpace(body[1 : len(body)-1])
	if len(inner) > 0 {
		b.WriteByte(',')
		b.Write(inner)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func errorResponse(id json.RawMessage, msg string) []byte {
	body, _ := marshalJSON(map[string]string{"error": msg})
	return withID(id, body)
}

// marshalJSON encodes like json.Marshal but keeps <, > and & readable
// (harness placeholders are full of them).
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}
