package main

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/kwok/pkg/utils/yaml"
)

// Ops of the YAML family: the conversions KWOK's renderer, its YAML template
// func and the Stage harness's output encoder use (all sigs.k8s.io/yaml via
// KWOK's pkg/utils/yaml).

func init() {
	registerOp("yaml2json", []string{"text"}, opYAML2JSON)
	registerOp("json2yaml", []string{"json", "mode"}, opJSON2YAML)
}

type convResult struct {
	Out *string `json:"out"`
	Err *string `json:"err"`
}

func convResultOf(out []byte, err error) *convResult {
	res := &convResult{}
	if err != nil {
		s := err.Error()
		res.Err = &s
		return res
	}
	s := string(out)
	res.Out = &s
	return res
}

// yaml2json: yaml.YAMLToJSON, the last step of the renderer's ToJSON.
func opYAML2JSON(req *request) (any, error) {
	var text string
	if err := field(req, "text", true, &text); err != nil {
		return nil, err
	}
	return convResultOf(yaml.YAMLToJSON([]byte(text))), nil
}

// json2yaml: the JSON text is decoded keeping json.Number (as template data
// is), then mode "marshal" (default) = yaml.Marshal, i.e. the YAML template
// func without indent; mode "encoder" = one yaml.NewEncoder(buf).Encode call,
// as the Stage harness writes its *.output.yaml.
func opJSON2YAML(req *request) (any, error) {
	var text string
	mode := "marshal"
	if err := field(req, "json", true, &text); err != nil {
		return nil, err
	}
	if err := field(req, "mode", false, &mode); err != nil {
		return nil, err
	}
	v, err := decodeUseNumber([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("field \"json\": %w", err)
	}
	switch mode {
	case "marshal":
		return convResultOf(yaml.Marshal(v)), nil
	case "encoder":
		var buf bytes.Buffer
		err := yaml.NewEncoder(&buf).Encode(v)
		return convResultOf(buf.Bytes(), err), nil
	default:
		return nil, fmt.Errorf("unknown mode %q (want marshal or encoder)", mode)
	}
}
