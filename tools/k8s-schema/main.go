// Command k8s-schema dumps, by reflection over the Go types of k8s.io/api (the
// version KWOK v0.8.0 pins), everything kwokbook needs to reproduce
// encoding/json and strategic merge patch for typed Pods and Nodes: every
// reachable type, and for structs the fields as encoding/json sees them (JSON
// name, omitempty/omitzero, embedded path) plus the patchStrategy and
// patchMergeKey tags. The output is a Python module holding one literal.
//
// Usage: go run . > ../../kwokbook/k8s/_schema_core_v1.py
package main

import (
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Types with their own MarshalJSON/UnmarshalJSON; kwokbook ports each by hand.
var special = map[reflect.Type]string{
	reflect.TypeOf(resource.Quantity{}):    "Quantity",
	reflect.TypeOf(metav1.Time{}):          "Time",
	reflect.TypeOf(metav1.MicroTime{}):     "MicroTime",
	reflect.TypeOf(intstr.IntOrString{}):   "IntOrString",
	reflect.TypeOf(metav1.FieldsV1{}):      "FieldsV1",
	reflect.TypeOf(metav1.Duration{}):      "Duration",
	reflect.TypeOf(runtime.RawExtension{}): "RawExtension",
}

var (
	marshalerType       = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	unmarshalerType     = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textMarshalerType   = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	isZeroerType        = reflect.TypeOf((*interface{ IsZero() bool })(nil)).Elem()
)

type gen struct {
	keys  map[reflect.Type]string
	order []reflect.Type
	defs  map[string]string
}

// key names a type uniquely (package path + name, or a composite of keys).
func (g *gen) key(t reflect.Type) string {
	if k, ok := g.keys[t]; ok {
		return k
	}
	var k string
	switch {
	case t.Name() != "" && t.PkgPath() != "":
		k = t.PkgPath() + "." + t.Name()
	case t.Name() != "":
		k = t.Name()
	case t.Kind() == reflect.Pointer:
		k = "*" + g.key(t.Elem())
	case t.Kind() == reflect.Slice:
		k = "[]" + g.key(t.Elem())
	case t.Kind() == reflect.Map:
		k = "map[" + g.key(t.Key()) + "]" + g.key(t.Elem())
	default:
		panic(fmt.Sprintf("unnamed type %v", t))
	}
	g.keys[t] = k
	g.order = append(g.order, t)
	g.defs[k] = g.def(t)
	return k
}

func pyStr(s string) string { return strconv.Quote(s) } // ASCII-only names: Python accepts Go's quoting

func hasCustomJSON(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, it := range []reflect.Type{marshalerType, unmarshalerType, textMarshalerType, textUnmarshalerType} {
		if t.Implements(it) || pt.Implements(it) {
			return true
		}
	}
	return false
}

// def is the Python tuple describing t: (kind, Go type string, ...).
func (g *gen) def(t reflect.Type) string {
	gs := pyStr(t.String())
	if s, ok := special[t]; ok {
		// The JSON-visible fields matter to strategic merge patch's field lookup only.
		return fmt.Sprintf("(\"special\", %s, %s, %s)", gs, pyStr(s), g.fieldTuple(t))
	}
	if t.Kind() != reflect.Pointer && hasCustomJSON(t) {
		panic(fmt.Sprintf("type %v has custom JSON methods but no port", t))
	}
	switch t.Kind() {
	case reflect.String:
		return fmt.Sprintf("(\"string\", %s)", gs)
	case reflect.Bool:
		return fmt.Sprintf("(\"bool\", %s)", gs)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fmt.Sprintf("(\"int\", %s, %d)", gs, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return fmt.Sprintf("(\"uint\", %s, %d)", gs, t.Bits())
	case reflect.Float32, reflect.Float64:
		return fmt.Sprintf("(\"float\", %s, %d)", gs, t.Bits())
	case reflect.Pointer:
		return fmt.Sprintf("(\"ptr\", %s, %s)", gs, pyStr(g.key(t.Elem())))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return fmt.Sprintf("(\"bytes\", %s)", gs)
		}
		return fmt.Sprintf("(\"slice\", %s, %s)", gs, pyStr(g.key(t.Elem())))
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("map key %v", t))
		}
		return fmt.Sprintf("(\"map\", %s, %s, %s)", gs, pyStr(g.key(t.Key())), pyStr(g.key(t.Elem())))
	case reflect.Interface:
		return fmt.Sprintf("(\"interface\", %s)", gs)
	case reflect.Struct:
		return g.structDef(t)
	}
	panic(fmt.Sprintf("unsupported kind %v", t))
}

type field struct {
	name      string
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
	quoted    bool
	path      []string // Go names of the embedded structs leading to the field, then its own
	strategy  string
	mergeKey  string
	index     []int
}

// fields lists t's JSON fields in encoding/json's order. Only what k8s.io/api uses is
// supported: embedded structs without a JSON name are flattened in place; a JSON name
// given twice is an error (encoding/json would apply its dominance rules).
func fields(t reflect.Type, prefix []string, index []int) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int{}, index...), i)
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				panic(fmt.Sprintf("embedded pointer %v in %v", ft, t))
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, fields(ft, append(append([]string{}, prefix...), sf.Name), idx)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := field{
			name: name, typ: sf.Type, index: idx,
			path:     append(append([]string{}, prefix...), sf.Name),
			strategy: sf.Tag.Get("patchStrategy"),
			mergeKey: sf.Tag.Get("patchMergeKey"),
		}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
			case "string":
				f.quoted = true
			case "", "inline":
			default:
				panic(fmt.Sprintf("tag option %q on %v.%s", o, t, sf.Name))
			}
		}
		out = append(out, f)
	}
	return out
}

func (g *gen) structDef(t reflect.Type) string {
	return fmt.Sprintf("(\"struct\", %s, %s, %s)", pyStr(t.String()), pyStr(t.Name()), g.fieldTuple(t))
}

func (g *gen) fieldTuple(t reflect.Type) string {
	fs := fields(t, nil, nil)
	seen := map[string]bool{}
	folded := map[string]bool{}
	var b strings.Builder
	b.WriteString("(\n")
	for _, f := range fs {
		if folded[strings.ToUpper(f.name)] {
			panic(fmt.Sprintf("JSON names differing only in case in %v: %q", t, f.name))
		}
		folded[strings.ToUpper(f.name)] = true
		if seen[f.name] {
			panic(fmt.Sprintf("duplicate JSON name %q in %v", f.name, t))
		}
		seen[f.name] = true
		if f.quoted {
			panic(fmt.Sprintf("unsupported ,string option on %v.%s", t, f.name))
		}
		flags := 0
		if f.omitEmpty {
			flags |= 1
		}
		if f.omitZero {
			flags |= 2
			if !f.typ.Implements(isZeroerType) && !reflect.PointerTo(f.typ).Implements(isZeroerType) &&
				f.typ.Kind() == reflect.Struct {
				flags |= 4 // zero = every field zero (reflect.Value.IsZero)
			}
		}
		emb := make([]string, 0, len(f.path)-1)
		for _, p := range f.path[:len(f.path)-1] {
			emb = append(emb, pyStr(p))
		}
		embT := "()"
		if len(emb) > 0 {
			embT = "(" + strings.Join(emb, ", ") + ",)"
		}
		fmt.Fprintf(&b, "        (%s, %s, %d, %s, %s, %s),\n", pyStr(f.name), pyStr(g.key(f.typ)), flags, embT,
			pyStr(f.strategy), pyStr(f.mergeKey))
	}
	b.WriteString("    )")
	return b.String()
}

func main() {
	g := &gen{keys: map[reflect.Type]string{}, defs: map[string]string{}}
	roots := map[string]string{
		"Pod":  g.key(reflect.TypeOf(corev1.Pod{})),
		"Node": g.key(reflect.TypeOf(corev1.Node{})),
	}
	// Breadth: keys are created on demand while defining; defs is complete now.
	var w io.Writer = os.Stdout
	versions := []string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/api" || d.Path == "k8s.io/apimachinery" {
				versions = append(versions, d.Path+" "+d.Version)
			}
		}
	}
	sort.Strings(versions)
	fmt.Fprintf(w, "\"\"\"Go types of Pod and Node (%s), generated by tools/k8s-schema; do not edit.\n\n", strings.Join(versions, ", "))
	fmt.Fprint(w, "TYPES maps a type key to a tuple (kind, Go type string, ...):\n"+
		"  (\"struct\", gostr, name, fields)  fields: (json name, type key, flags, embedded Go path,\n"+
		"                                    patchStrategy, patchMergeKey); flags 1 omitempty,\n"+
		"                                    2 omitzero, 4 omitzero by reflect.Value.IsZero\n"+
		"  (\"ptr\"|\"slice\", gostr, elem key)   (\"map\", gostr, key key, elem key)   (\"bytes\", gostr)\n"+
		"  (\"string\"|\"bool\"|\"interface\", gostr)   (\"int\"|\"uint\"|\"float\", gostr, bits)\n"+
		"  (\"special\", gostr, port name, fields)   Quantity, Time, IntOrString, FieldsV1 (fields: what\n"+
		"                                    strategic merge patch's field lookup finds in the struct)\n"+
		"\"\"\"\n\n")
	fmt.Fprintln(w, "# ruff: noqa: E501")
	fmt.Fprint(w, "from typing import Any\n\n")
	fmt.Fprintf(w, "VERSIONS = %s\n\n", pyStr(strings.Join(versions, ", ")))
	fmt.Fprintf(w, "ROOTS: dict[str, str] = {\"Pod\": %s, \"Node\": %s}\n\n", pyStr(roots["Pod"]), pyStr(roots["Node"]))
	fmt.Fprintln(w, "TYPES: dict[str, tuple[Any, ...]] = {")
	keys := make([]string, 0, len(g.defs))
	for k := range g.defs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "    %s: %s,\n", pyStr(k), g.defs[k])
	}
	fmt.Fprintln(w, "}")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "# reflect.Kind names (strategic merge patch error texts)")
	fmt.Fprintln(w, "KIND_NAMES: dict[str, str] = {")
	for _, k := range keys {
		for t, tk := range g.keys {
			if tk == k {
				fmt.Fprintf(w, "    %s: %s,\n", pyStr(k), pyStr(t.Kind().String()))
			}
		}
	}
	fmt.Fprintln(w, "}")
}
