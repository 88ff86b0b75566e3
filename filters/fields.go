package filters

import (
	"errors"
	"fmt"
	"sort"

	"github.com/logdict/logging/core"
)

// Fields attaches the same attributes to every record and passes it, as the
// seed's CloudwatchLoggingFilter did with `record.env = settings.ENV`. The
// attributes are seen by formatters as %(env)s and shadow logrus fields of
// the same name; the logrus entry itself is never modified.
//
// A Fields is immutable and safe for concurrent use. The zero value attaches
// nothing.
type Fields struct {
	keys []string
	vals []any
}

var _ core.Filter = (*Fields)(nil)

// NewFields returns a filter attaching a copy of fields to every record; the
// caller keeps ownership of the map.
func NewFields(fields map[string]any) *Fields {
	f := &Fields{keys: make([]string, 0, len(fields)), vals: make([]any, 0, len(fields))}
	for k := range fields {
		f.keys = append(f.keys, k)
	}
	sort.Strings(f.keys)
	for _, k := range f.keys {
		f.vals = append(f.vals, fields[k])
	}
	return f
}

// Filter attaches the attributes to r and returns true.
func (f *Fields) Filter(r *core.Record) bool {
	for i, k := range f.keys {
		r.Set(k, f.vals[i])
	}
	return true
}

// FieldsFactory builds a [Fields] from the table `fields`, whose values are
// strings, numbers or booleans (`fields = { env = "${ENV:-local}" }`).
// Values arrive after ${VAR} expansion. An empty or missing table is an
// error: such a filter would do nothing, which is likely a typo.
func FieldsFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	m := p.Map("fields")
	if m == nil && p.Err() == nil {
		p.Errorf("fields", "%w: required: a table of attributes to attach", core.ErrMissing)
	}
	var errs []error
	for k, v := range m {
		switch v.(type) {
		case string, bool, int, int64, float64:
		default:
			// Params.Errorf would quote "fields.k" as one key; the path is nested.
			errs = append(errs, &core.ConfigError{
				Path: core.JoinPath(p.Path("fields"), k),
				Err:  fmt.Errorf("%w: want a string, number or boolean, got %T", core.ErrBadValue, v),
			})
		}
	}
	if err := errors.Join(append([]error{p.Err()}, errs...)...); err != nil {
		return nil, err
	}
	return NewFields(m), nil
}
