package djangoport

import "strings"

// strings parses adjacent string literals (implicit concatenation).
func (p *parser) strings() *node {
	n := &node{kind: nStr, pos: p.peek().pos}
	kinds := 0 // 1: str, 2: bytes
	for p.peek().kind == tString {
		t := p.next()
		st := t.str
		isBytes := strings.ContainsRune(st.prefix, 'b')
		k := 1
		if isBytes {
			k = 2
		}
		if kinds != 0 && kinds != k {
			p.fail(t.pos, "cannot mix bytes and nonbytes literals")
		}
		kinds = k
		raw := strings.ContainsRune(st.prefix, 'r')
		switch {
		case isBytes:
			n.str = append(n.str, strPiece{err: "a bytes literal"})
		case strings.ContainsRune(st.prefix, 't'):
			n.str = append(n.str, strPiece{err: "a template string (t-string)"})
		case strings.ContainsRune(st.prefix, 'f'):
			for _, seg := range st.segs {
				n.str = append(n.str, p.fpiece(seg, raw))
			}
		default:
			n.str = append(n.str, litPiece(string(p.src[st.bodyStart:st.bodyEnd]), raw))
		}
	}
	n.end = p.prevEnd()
	return n
}

func litPiece(body string, raw bool) strPiece {
	if raw {
		return strPiece{lit: normNewlines(body)}
	}
	s, msg := unescape(body)
	return strPiece{lit: s, err: msg}
}

func (p *parser) fpiece(seg fseg, raw bool) strPiece {
	if !seg.expr {
		return litPiece(unbrace(string(p.src[seg.start:seg.end])), raw)
	}
	piece := strPiece{conv: seg.conv, spec: seg.spec, debug: seg.debug}
	if seg.debug {
		piece.err = "a self-documenting f-string field {x=}"
		return piece
	}
	toks := tokenizeRange(p.src, seg.start, seg.end)
	for _, t := range toks {
		if t.kind == tError {
			p.fail(t.pos, t.text)
		}
	}
	// Newlines inside a field are insignificant, as inside brackets.
	kept := toks[:0:0]
	for _, t := range toks {
		if t.kind != tNewline {
			kept = append(kept, t)
		}
	}
	sub := newParser(p.src, kept)
	sub.depth = p.depth + 8
	x := sub.exprList()
	if sub.peek().kind != tEOF {
		p.fail(sub.peek().pos, "f-string: unexpected"+describe(sub.peek()))
	}
	piece.expr = x
	return piece
}

// tokenizeRange tokenizes src[start:end] keeping offsets into src.
func tokenizeRange(src []byte, start, end int) []token {
	lx := &lexer{src: src[:end], i: start}
	lx.run()
	return lx.toks
}
