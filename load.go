package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/logdict/logging/core"
)

// Viper is used to locate and read the file, and is the natural place for an
// application's other settings; but it lowercases every key and splits keys
// on dots (reference/dictconfig.md §6), while logger names are
// case-sensitive and dotted. So each format is read through a codec that
// keeps a case-preserving copy of the tree it decodes, and the configuration
// is taken from that copy, never through Viper's key API.

// capturingCodec decodes one format, hands Viper its own copy (which Viper
// lowercases in place) and keeps the untouched tree.
type capturingCodec struct {
	decode   func([]byte) (map[string]any, error)
	captured map[string]any
}

func (c *capturingCodec) Decode(b []byte, v map[string]any) error {
	m, err := c.decode(b)
	if err != nil {
		return err
	}
	c.captured = m
	other, err := c.decode(b)
	if err != nil {
		return err
	}
	for k, val := range other {
		v[k] = val
	}
	return nil
}

func (c *capturingCodec) Encode(map[string]any) ([]byte, error) {
	return nil, errors.New("logging: writing configuration files is not supported")
}

func decodeTOML(b []byte) (map[string]any, error) {
	m := map[string]any{}
	if err := toml.Unmarshal(b, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("line %d, column %d: %s", row, col, de.Error())
		}
		return nil, err
	}
	return m, nil
}

func decodeYAML(b []byte) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	out, err := normalizeYAML(m, "")
	if err != nil {
		return nil, err
	}
	return out.(map[string]any), nil
}

// normalizeYAML turns YAML's map[any]any (keys that are not strings: numbers,
// booleans) into map[string]any, refusing keys that would not survive.
func normalizeYAML(v any, path string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			n, err := normalizeYAML(e, core.JoinPath(path, k))
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
		return x, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ks := fmt.Sprint(k)
			n, err := normalizeYAML(e, core.JoinPath(path, ks))
			if err != nil {
				return nil, err
			}
			out[ks] = n
		}
		return out, nil
	case []any:
		for i, e := range x {
			n, err := normalizeYAML(e, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
		return x, nil
	}
	return v, nil
}

func decodeJSON(b []byte) (map[string]any, error) {
	m := map[string]any{}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

var decoders = map[string]func([]byte) (map[string]any, error){
	"toml": decodeTOML,
	"yaml": decodeYAML,
	"yml":  decodeYAML,
	"json": decodeJSON,
}

func formatOf(path string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if _, ok := decoders[ext]; !ok {
		return "", fmt.Errorf("logging: %s: unknown configuration format %q (known: .toml, .yaml, .yml, .json)", path, filepath.Ext(path))
	}
	return ext, nil
}

// newViper returns a Viper that reads path and the codec that keeps the
// case-preserving tree of what it read.
func newViper(path string) (*viper.Viper, *capturingCodec, error) {
	format, err := formatOf(path)
	if err != nil {
		return nil, nil, err
	}
	codec := &capturingCodec{decode: decoders[format]}
	reg := viper.NewCodecRegistry()
	if err := reg.RegisterCodec(format, codec); err != nil {
		return nil, nil, err
	}
	v := viper.NewWithOptions(viper.KeyDelimiter("::"), viper.WithCodecRegistry(reg))
	v.SetConfigFile(path)
	v.SetConfigType(format)
	return v, codec, nil
}

// readFile reads a configuration file through Viper and returns its
// case-preserving tree. A file whose top level has no "version" but a
// "logging" table is an application's settings file: its logging section is
// used.
func readFile(path string) (map[string]any, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("logging: %w", err)
	}
	v, codec, err := newViper(path)
	if err != nil {
		return nil, err
	}
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("logging: %s: %w", path, unwrapViper(err))
	}
	if codec.captured == nil {
		return nil, fmt.Errorf("logging: %s: empty configuration", path)
	}
	return section(codec.captured, "logging"), nil
}

// readBytes reads a configuration in the given format ("toml", "yaml",
// "json") through Viper and returns its case-preserving tree.
func readBytes(b []byte, format string) (map[string]any, error) {
	format = strings.TrimPrefix(strings.ToLower(format), ".")
	if _, ok := decoders[format]; !ok {
		return nil, fmt.Errorf("logging: unknown configuration format %q (known: toml, yaml, yml, json)", format)
	}
	v, codec, err := newViper("config." + format)
	if err != nil {
		return nil, err
	}
	if err := v.ReadConfig(bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("logging: %w", unwrapViper(err))
	}
	if codec.captured == nil {
		return nil, errors.New("logging: empty configuration")
	}
	return section(codec.captured, "logging"), nil
}

// unwrapViper drops Viper's "While parsing config:" wrapping noise but keeps
// the decoder's message (line and column).
func unwrapViper(err error) error {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) {
		if u := errors.Unwrap(pe); u != nil {
			return u
		}
	}
	return err
}

// section returns tree[key] (matched case-insensitively) when tree is an
// application's settings file rather than a logging configuration.
func section(tree map[string]any, key string) map[string]any {
	if _, ok := tree["version"]; ok {
		return tree
	}
	for k, v := range tree {
		if strings.EqualFold(k, key) {
			if m, ok := v.(map[string]any); ok {
				return m
			}
		}
	}
	return tree
}

// fromViper returns the logging configuration under key of an application's
// Viper. When v read a file, the file is decoded again so that names keep
// their case; otherwise Viper's (lowercased) view is the only one there is.
func fromViper(v *viper.Viper, key string) (map[string]any, error) {
	if file := v.ConfigFileUsed(); file != "" {
		if format, err := formatOf(file); err == nil {
			b, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("logging: %w", err)
			}
			tree, err := decoders[format](b)
			if err != nil {
				return nil, fmt.Errorf("logging: %s: %w", file, err)
			}
			if key == "" {
				return tree, nil
			}
			for k, val := range tree {
				if strings.EqualFold(k, key) {
					if m, ok := val.(map[string]any); ok {
						return m, nil
					}
					return nil, &core.ConfigError{Path: key, Err: fmt.Errorf("%w: want a table", core.ErrBadValue)}
				}
			}
			return nil, &core.ConfigError{Path: key, Err: fmt.Errorf("%w: no such section in %s", core.ErrMissing, file)}
		}
	}
	var raw any
	if key == "" {
		raw = v.AllSettings()
	} else {
		raw = v.Get(key)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, &core.ConfigError{Path: key, Err: fmt.Errorf("%w: no logging section", core.ErrMissing)}
	}
	return m, nil
}
