package formatters

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// spec is how one field is formatted: a %-style conversion with its flags,
// width and precision, or a {}-style format spec with its !r/!s/!a
// conversion. Both are parsed once, when the formatter is built.
type spec struct {
	percent bool // %-style semantics (strings right-aligned, precision = min digits)
	fill    rune // {}: 0 when not given
	align   byte // 0 when not given, '<', '>', '^', '='
	sign    byte // 0, '+', ' ', '-'
	alt     bool // '#'
	zero    bool // '0'
	width   int  // -1: none
	group   byte // {}: 0, ',' or '_'
	prec    int  // -1: none
	typ     byte // conversion character; {}: 0 when not given
	conv    byte // {}: 'r', 's', 'a' or 0
}

// plain reports whether a string value is appended unchanged.
func (sp *spec) plain() bool {
	return sp.width < 0 && sp.prec < 0 && sp.conv == 0 && (sp.typ == 's' || sp.typ == 0)
}

// render appends v formatted by sp. ok is false when v cannot be formatted
// that way (Python would raise, as with %d on a word): v is then rendered
// with str() so the line is not lost, and the caller reports the problem.
func render(dst []byte, v val, sp *spec) ([]byte, bool) {
	if sp.percent {
		return renderPercent(dst, v, sp)
	}
	return renderBrace(dst, v, sp)
}

func renderPercent(dst []byte, v val, sp *spec) ([]byte, bool) {
	switch sp.typ {
	case 's':
		return strField(dst, v, sp, 's'), true
	case 'r', 'a':
		return strField(dst, v, sp, sp.typ), true
	case 'c':
		return charField(dst, v, sp)
	case 'd', 'i', 'u', 'o', 'x', 'X':
		return intOf(dst, v, sp)
	default: // e E f F g G
		return floatOf(dst, v, sp)
	}
}

func renderBrace(dst []byte, v val, sp *spec) ([]byte, bool) {
	if sp.conv != 0 {
		return strField(dst, v, sp, sp.conv), true
	}
	switch sp.typ {
	case 0:
		switch v.k {
		case kInt, kUint:
			return intOf(dst, v, sp)
		case kFloat:
			return floatField(dst, v.f, sp), true
		case kBool:
			// bool is an int: with a non-empty spec Python formats it as one.
			if sp.width >= 0 || sp.sign != 0 || sp.zero || sp.alt || sp.group != 0 || sp.prec >= 0 {
				return intOf(dst, v, sp)
			}
		}
		return strField(dst, v, sp, 's'), true
	case 's':
		return strField(dst, v, sp, 's'), true
	case 'c':
		return charField(dst, v, sp)
	case 'b', 'd', 'o', 'x', 'X', 'n':
		if n, ok := toNumber(v); ok && n.k == kFloat && sp.typ == 'n' {
			return floatField(dst, n.f, sp), true
		}
		return intOf(dst, v, sp)
	default: // e E f F g G %
		return floatOf(dst, v, sp)
	}
}

// strField appends str(v), repr(v) or ascii(v), cut to the precision and
// padded to the width.
func strField(dst []byte, v val, sp *spec, mode byte) []byte {
	start := len(dst)
	switch mode {
	case 'r':
		dst = appendRepr(dst, v, false)
	case 'a':
		dst = appendRepr(dst, v, true)
	default:
		dst = appendStr(dst, v)
	}
	if sp.prec >= 0 {
		dst = cutRunes(dst, start, sp.prec)
	}
	return padString(dst, start, sp)
}

func padString(dst []byte, start int, sp *spec) []byte {
	if sp.width < 0 {
		return dst
	}
	fill, align := ' ', sp.align
	if sp.percent {
		if align != '<' {
			align = '>'
		}
	} else {
		if sp.fill != 0 {
			fill = sp.fill
		} else if sp.zero {
			fill = '0'
		}
		if align == 0 || align == '=' {
			align = '<'
		}
	}
	return pad(dst, start, start, sp.width, fill, align)
}

func cutRunes(dst []byte, start, n int) []byte {
	i := start
	for ; n > 0 && i < len(dst); n-- {
		_, size := utf8.DecodeRune(dst[i:])
		i += size
	}
	return dst[:i]
}

func charField(dst []byte, v val, sp *spec) ([]byte, bool) {
	if v.k == kStr && utf8.RuneCountInString(v.s) == 1 {
		return strField(dst, v, sp, 's'), true
	}
	n, ok := toNumber(v)
	if !ok || n.k != kInt || n.i < 0 || n.i > utf8.MaxRune {
		return strField(dst, v, sp, 's'), false
	}
	start := len(dst)
	dst = utf8.AppendRune(dst, rune(n.i))
	return padString(dst, start, sp), true
}

// intOf formats v as an integer: floats are truncated (as %d does), strings
// holding a number are parsed.
func intOf(dst []byte, v val, sp *spec) ([]byte, bool) {
	n, ok := toNumber(v)
	if !ok {
		return strField(dst, v, sp, 's'), false
	}
	switch n.k {
	case kUint:
		return intField(dst, false, n.u, sp), true
	case kFloat:
		if math.IsInf(n.f, 0) || math.IsNaN(n.f) {
			return floatField(dst, n.f, sp), false
		}
		t := math.Trunc(n.f)
		if t >= 0 {
			return intField(dst, false, uint64(t), sp), true
		}
		return intField(dst, true, uint64(-t), sp), true
	}
	if n.i < 0 {
		return intField(dst, true, uint64(-n.i), sp), true
	}
	return intField(dst, false, uint64(n.i), sp), true
}

func floatOf(dst []byte, v val, sp *spec) ([]byte, bool) {
	n, ok := toNumber(v)
	if !ok {
		return strField(dst, v, sp, 's'), false
	}
	switch n.k {
	case kInt:
		return floatField(dst, float64(n.i), sp), true
	case kUint:
		return floatField(dst, float64(n.u), sp), true
	}
	return floatField(dst, n.f, sp), true
}

func appendSign(dst []byte, neg bool, sign byte) []byte {
	switch {
	case neg:
		return append(dst, '-')
	case sign == '+' || sign == ' ':
		return append(dst, sign)
	}
	return dst
}

func intField(dst []byte, neg bool, mag uint64, sp *spec) []byte {
	base, upper := 10, false
	var prefix string
	switch sp.typ {
	case 'o':
		base, prefix = 8, "0o"
	case 'x':
		base, prefix = 16, "0x"
	case 'X':
		base, prefix, upper = 16, "0X", true
	case 'b':
		base, prefix = 2, "0b"
	case 'c':
		if !neg && mag <= utf8.MaxRune {
			start := len(dst)
			dst = utf8.AppendRune(dst, rune(mag))
			return padString(dst, start, sp)
		}
	}
	start := len(dst)
	dst = appendSign(dst, neg, sp.sign)
	if sp.alt {
		dst = append(dst, prefix...)
	}
	signEnd := len(dst)
	dst = strconv.AppendUint(dst, mag, base)
	if upper {
		for i := signEnd; i < len(dst); i++ {
			if c := dst[i]; c >= 'a' && c <= 'f' {
				dst[i] = c - 'a' + 'A'
			}
		}
	}
	if sp.percent && sp.prec > len(dst)-signEnd {
		dst = insertByte(dst, signEnd, '0', sp.prec-(len(dst)-signEnd))
	}
	groupEvery := 3
	if base != 10 {
		groupEvery = 4
	}
	return finishNumber(dst, start, signEnd, len(dst), groupEvery, sp)
}

// floatField formats f by sp's type: e E f F g G n %, or none ({} style:
// repr, or 'g'-like with a precision).
func floatField(dst []byte, f float64, sp *spec) []byte {
	start := len(dst)
	nan := math.IsNaN(f)
	dst = appendSign(dst, !nan && math.Signbit(f), sp.sign)
	signEnd := len(dst)
	a := math.Abs(f)
	typ, prec := sp.typ, sp.prec
	upper := typ == 'E' || typ == 'F' || typ == 'G'
	switch {
	case nan || math.IsInf(a, 0):
		s := "inf"
		if nan {
			s = "nan"
		}
		if upper {
			s = "INF"
			if nan {
				s = "NAN"
			}
		}
		dst = append(dst, s...)
	case typ == 'f' || typ == 'F' || typ == '%':
		if prec < 0 {
			prec = 6
		}
		if typ == '%' {
			a *= 100
		}
		dst = strconv.AppendFloat(dst, a, 'f', prec, 64)
		if sp.alt && prec == 0 {
			dst = append(dst, '.')
		}
	case typ == 'e' || typ == 'E':
		if prec < 0 {
			prec = 6
		}
		dst = strconv.AppendFloat(dst, a, byte(typ|0x20), prec, 64)
		if sp.alt && prec == 0 {
			dst = insertByte(dst, signEnd+1, '.', 1)
		}
	case typ == 'g' || typ == 'G' || typ == 'n':
		if prec < 0 {
			prec = 6
		} else if prec == 0 {
			prec = 1
		}
		if sp.alt {
			dst = appendAltG(dst, a, prec)
		} else {
			dst = strconv.AppendFloat(dst, a, 'g', prec, 64)
		}
	case prec < 0:
		dst = appendPyFloat(dst, a)
	default:
		dst = appendNoneTypeFloat(dst, a, prec)
	}
	if upper {
		for i := signEnd; i < len(dst); i++ {
			if dst[i] == 'e' {
				dst[i] = 'E'
			}
		}
	}
	intEnd := len(dst)
	for i := signEnd; i < len(dst); i++ {
		if c := dst[i]; c == '.' || c == 'e' || c == 'E' {
			intEnd = i
			break
		}
	}
	if typ == '%' {
		dst = append(dst, '%')
	}
	return finishNumber(dst, start, signEnd, intEnd, 3, sp)
}

// appendAltG is C's %#g: trailing zeros kept, a decimal point always.
func appendAltG(dst []byte, a float64, p int) []byte {
	x := decExp(a, p-1)
	if x >= -4 && x < p {
		start := len(dst)
		dst = strconv.AppendFloat(dst, a, 'f', p-1-x, 64)
		for _, c := range dst[start:] {
			if c == '.' {
				return dst
			}
		}
		return append(dst, '.')
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, a, 'e', p-1, 64)
	if p == 1 {
		dst = insertByte(dst, start+1, '.', 1)
	}
	return dst
}

// appendNoneTypeFloat is format(f, ".P"): like 'g', but exponent notation
// from exponent P-1 on, and fixed notation keeps one fractional digit.
func appendNoneTypeFloat(dst []byte, a float64, p int) []byte {
	if p == 0 {
		p = 1
	}
	x := decExp(a, p-1)
	start := len(dst)
	if x < -4 || x >= p-1 {
		dst = strconv.AppendFloat(dst, a, 'e', p-1, 64)
		e := start
		for dst[e] != 'e' {
			e++
		}
		m := e
		for m > start && dst[m-1] == '0' {
			m--
		}
		if m > start && dst[m-1] == '.' {
			m--
		}
		return append(dst[:m], dst[e:]...)
	}
	dst = strconv.AppendFloat(dst, a, 'f', p-1-x, 64)
	dot := -1
	for i := start; i < len(dst); i++ {
		if dst[i] == '.' {
			dot = i
		}
	}
	if dot < 0 {
		return append(dst, '.', '0')
	}
	for len(dst) > dot+2 && dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// finishNumber groups the integer digits dst[signEnd:intEnd] and pads the
// number dst[start:] to the width: sign-aware zero padding goes between the
// sign (and 0x prefix) and the digits, and is itself grouped as Python does
// ("08," turns 1234 into 0,001,234).
func finishNumber(dst []byte, start, signEnd, intEnd, groupEvery int, sp *spec) []byte {
	fill, align := ' ', sp.align
	if sp.percent {
		switch {
		case align == '<':
		case sp.zero:
			fill, align = '0', '='
		default:
			align = '>'
		}
	} else {
		if sp.fill != 0 {
			fill = sp.fill
		} else if sp.zero {
			fill = '0'
		}
		if align == 0 {
			align = '>'
			if sp.zero {
				align = '='
			}
		}
	}
	if sp.group != 0 {
		digits := intEnd - signEnd
		if fill == '0' && align == '=' && sp.width > 0 {
			other := (signEnd - start) + (len(dst) - intEnd)
			d := digits
			for other+d+(d-1)/groupEvery < sp.width {
				d++
			}
			if d > digits {
				dst = insertByte(dst, signEnd, '0', d-digits)
				intEnd += d - digits
			}
		}
		dst = group(dst, signEnd, intEnd, groupEvery, sp.group)
	}
	if sp.width < 0 {
		return dst
	}
	return pad(dst, start, signEnd, sp.width, fill, align)
}

// group inserts sep every n digits (from the right) into dst[from:to].
func group(dst []byte, from, to, n int, sep byte) []byte {
	d := to - from
	if d <= n {
		return dst
	}
	seps := (d - 1) / n
	tail := len(dst) - to
	for range seps {
		dst = append(dst, 0)
	}
	copy(dst[to+seps:], dst[to:to+tail])
	w := to + seps - 1
	for i, k := to-1, 0; i >= from; i-- {
		if k == n {
			dst[w] = sep
			w--
			k = 0
		}
		dst[w] = dst[i]
		w--
		k++
	}
	return dst
}

// pad pads dst[start:] to width runes with fill: after it ('<'), before it
// ('>'), around it ('^', the extra one on the right) or after the sign at
// signAt ('=').
func pad(dst []byte, start, signAt, width int, fill rune, align byte) []byte {
	n := utf8.RuneCount(dst[start:])
	if n >= width {
		return dst
	}
	p := width - n
	var left int
	switch align {
	case '<':
		left = 0
	case '^':
		left = p / 2
	case '=':
		left = p
		start = signAt
	default:
		left = p
	}
	right := p - left
	if left > 0 {
		dst = insertRune(dst, start, fill, left)
	}
	for range right {
		dst = utf8.AppendRune(dst, fill)
	}
	return dst
}

func insertByte(dst []byte, at int, c byte, n int) []byte {
	return insertRune(dst, at, rune(c), n)
}

// insertRune inserts n copies of r at dst[at] without allocating beyond
// growing dst.
func insertRune(dst []byte, at int, r rune, n int) []byte {
	var enc [utf8.UTFMax]byte
	e := enc[:utf8.EncodeRune(enc[:], r)]
	size := n * len(e)
	old := len(dst)
	for range size {
		dst = append(dst, 0)
	}
	copy(dst[at+size:], dst[at:old])
	for i := 0; i < size; i += len(e) {
		copy(dst[at+i:], e)
	}
	return dst
}
