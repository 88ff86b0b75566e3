package cwlocal

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// matcher is a parsed FilterLogEvents filterPattern for unstructured
// events. It supports the term syntax of
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html:
//
//	ERROR Exception      both terms must appear (case-sensitive substrings)
//	"connection reset"   a quoted exact phrase
//	?ERROR ?WARN         at least one of the ?-terms must appear
//	ERROR -timeout       the -term must not appear
//	%ERR(OR)?%           a regular expression between percent signs
//
// JSON ({ $.x = 1 }) and space-delimited ([ip, user, ...]) patterns are
// refused with InvalidParameterException rather than silently mismatched.
type matcher struct {
	all  []string
	any  []string
	none []string
	re   *regexp.Regexp
}

var errUnsupportedPattern = errors.New("JSON and space-delimited filter patterns are not supported by cwlocal")

func parseFilter(pattern string) (*matcher, error) {
	m := &matcher{}
	p := strings.TrimSpace(pattern)
	if p == "" {
		return m, nil
	}
	if p[0] == '{' || p[0] == '[' {
		return nil, errUnsupportedPattern
	}
	if len(p) >= 2 && p[0] == '%' && p[len(p)-1] == '%' {
		re, err := regexp.Compile(p[1 : len(p)-1])
		if err != nil {
			return nil, err
		}
		m.re = re
		return m, nil
	}
	for p != "" {
		var sign byte
		if p[0] == '?' || p[0] == '-' {
			sign, p = p[0], p[1:]
		}
		var term string
		if strings.HasPrefix(p, `"`) {
			end := closingQuote(p)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", pattern)
			}
			term = strings.ReplaceAll(p[1:end], `\"`, `"`)
			p = p[end+1:]
		} else {
			term, p, _ = strings.Cut(p, " ")
		}
		p = strings.TrimLeft(p, " \t")
		if term == "" {
			continue
		}
		switch sign {
		case '?':
			m.any = append(m.any, term)
		case '-':
			m.none = append(m.none, term)
		default:
			m.all = append(m.all, term)
		}
	}
	return m, nil
}

// closingQuote returns the index of the quote ending the phrase that starts
// at p[0], skipping backslash-escaped quotes, or -1.
func closingQuote(p string) int {
	for i := 1; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

func (m *matcher) match(msg string) bool {
	if m.re != nil {
		return m.re.MatchString(msg)
	}
	for _, t := range m.all {
		if !strings.Contains(msg, t) {
			return false
		}
	}
	for _, t := range m.none {
		if strings.Contains(msg, t) {
			return false
		}
	}
	if len(m.any) == 0 {
		return true
	}
	for _, t := range m.any {
		if strings.Contains(msg, t) {
			return true
		}
	}
	return false
}
