package djangoport

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// binop applies a binary operator with Python's semantics to known values.
func binop(op string, a, b *val) *val {
	if a.k == vUnknown {
		return a
	}
	if b.k == vUnknown {
		return b
	}
	if a.k == vBool {
		a = &val{k: vInt, i: b2i(a.b), via: a.via}
	}
	if b.k == vBool {
		b = &val{k: vInt, i: b2i(b.b), via: b.via}
	}
	var r *val
	switch {
	case a.k == vInt && b.k == vInt:
		r = intOp(op, a.i, b.i)
	case (a.k == vInt || a.k == vFloat) && (b.k == vInt || b.k == vFloat):
		x, _ := numeric(a)
		y, _ := numeric(b)
		r = floatOp(op, x, y)
	case a.k == vStr && a.isPath || b.k == vStr && b.isPath:
		if op == "/" && a.k == vStr && b.k == vStr {
			r = joinPath(a, b)
		} else if op == "+" && a.k == vStr && b.k == vStr {
			r = &val{k: vStr, s: concat(str(a).s, str(b).s), anchor: a.anchor}
		}
	case a.k == vStr && b.k == vStr && op == "+":
		r = &val{k: vStr, s: concat(a.s, b.s)}
	case a.k == vStr && b.k == vInt && op == "*", a.k == vInt && b.k == vStr && op == "*":
		if a.k == vInt {
			a, b = b, a
		}
		s, ok := a.literal()
		if !ok {
			return unknown("repeating a string from the environment")
		}
		if b.i <= 0 {
			r = strVal("")
		} else if int64(len(s))*b.i > maxStrLen || b.i > maxStrLen {
			return unknown("a string longer than 1 MiB")
		} else {
			r = strVal(strings.Repeat(s, int(b.i)))
		}
	case a.k == vStr && op == "%":
		r = percentFormat(a, b)
	case (a.k == vList || a.k == vTuple) && a.k == b.k && op == "+":
		r = &val{k: a.k, items: append(append([]*val(nil), a.items...), b.items...)}
	case a.k == vDict && b.k == vDict && op == "|":
		d := a.d.clone()
		for _, e := range b.d.order {
			cp := *e
			if e.bad != "" {
				d.addBad(&cp)
			} else {
				d.set(&cp)
			}
		}
		r = &val{k: vDict, d: d}
	}
	if r == nil {
		return unknown("the operator " + op + " on a " + a.typeName() + " and a " + b.typeName())
	}
	if r.k != vUnknown {
		r.via = append(append(r.via, a.via...), b.via...)
		r.notes = append(append(r.notes, a.notes...), b.notes...)
	}
	return r
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

var errTooBig = unknown("a number too large for 64 bits")

func intOp(op string, x, y int64) *val {
	switch op {
	case "+":
		if s := x + y; (s > x) == (y > 0) {
			return intVal(s)
		}
		return errTooBig
	case "-":
		if s := x - y; (s < x) == (y > 0) {
			return intVal(s)
		}
		return errTooBig
	case "*":
		if x == 0 || y == 0 {
			return intVal(0)
		}
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		if hi != 0 || lo > math.MaxInt64 || x == math.MinInt64 || y == math.MinInt64 {
			return errTooBig
		}
		if (x < 0) != (y < 0) {
			return intVal(-int64(lo))
		}
		return intVal(int64(lo))
	case "/":
		if y == 0 {
			return unknown("a division by zero")
		}
		return &val{k: vFloat, f: float64(x) / float64(y)}
	case "//", "%":
		if y == 0 {
			return unknown("a division by zero")
		}
		if x == math.MinInt64 && y == -1 {
			return errTooBig
		}
		q, m := x/y, x%y
		if m != 0 && (m < 0) != (y < 0) {
			q--
			m += y
		}
		if op == "//" {
			return intVal(q)
		}
		return intVal(m)
	case "**":
		if y < 0 {
			return &val{k: vFloat, f: math.Pow(float64(x), float64(y))}
		}
		r := int64(1)
		for i := int64(0); i < y; i++ {
			v := intOp("*", r, x)
			if v.k != vInt {
				return v
			}
			r = v.i
			if r == 0 || r == 1 && x == 1 {
				break
			}
			if x == -1 {
				if y%2 == 0 {
					return intVal(1)
				}
				return intVal(-1)
			}
		}
		return intVal(r)
	case "<<":
		if y < 0 || y > 62 || x != 0 && bits.Len64(uint64(abs64(x)))+int(y) > 62 {
			return errTooBig
		}
		return intVal(x << uint(y))
	case ">>":
		if y < 0 {
			return unknown("a negative shift count")
		}
		if y > 63 {
			y = 63
		}
		return intVal(x >> uint(y))
	case "&":
		return intVal(x & y)
	case "|":
		return intVal(x | y)
	case "^":
		return intVal(x ^ y)
	}
	return unknown("the operator " + op + " on numbers")
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func floatOp(op string, x, y float64) *val {
	var f float64
	switch op {
	case "+":
		f = x + y
	case "-":
		f = x - y
	case "*":
		f = x * y
	case "/":
		if y == 0 {
			return unknown("a division by zero")
		}
		f = x / y
	case "//", "%":
		if y == 0 {
			return unknown("a division by zero")
		}
		q := math.Floor(x / y)
		if op == "//" {
			f = q
		} else {
			f = x - q*y
		}
	case "**":
		f = math.Pow(x, y)
	default:
		return unknown("the operator " + op + " on floats")
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return unknown("a float overflow")
	}
	return &val{k: vFloat, f: f}
}

// percentFormat is printf-style str % args for %s, %d, %i, %r and %%.
func percentFormat(f, args *val) *val {
	format, ok := f.literal()
	if !ok {
		return unknown("a %-format that comes from the environment")
	}
	list := []*val{args}
	if args.k == vTuple {
		list = args.items
	}
	var out []part
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			out = concat(out, []part{{lit: string(c)}})
			continue
		}
		if i+1 >= len(format) {
			return unknown("an incomplete % format")
		}
		i++
		verb := format[i]
		if verb == '%' {
			out = concat(out, []part{{lit: "%"}})
			continue
		}
		if next >= len(list) {
			return unknown("not enough arguments for the % format")
		}
		a := list[next]
		next++
		switch verb {
		case 's':
			s := str(a)
			if s.k == vUnknown {
				return s
			}
			out = concat(out, s.s)
		case 'd', 'i':
			if a.k != vInt && a.k != vBool {
				return unknown("%d of a " + a.typeName())
			}
			n, _ := numeric(a)
			out = concat(out, []part{{lit: strconv.FormatInt(int64(n), 10)}})
		case 'r':
			s, ok := a.literal()
			if !ok {
				return unknown("%r of a " + a.typeName())
			}
			out = concat(out, []part{{lit: pyRepr(s)}})
		default:
			return unknown("the % format %" + string(verb))
		}
	}
	if next != len(list) {
		return unknown("not all arguments converted during string formatting")
	}
	if len(out) == 0 {
		out = []part{{}}
	}
	return &val{k: vStr, s: out}
}
