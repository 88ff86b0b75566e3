package djangoport

// nkind is the kind of an expression node.
type nkind uint8

const (
	nName    nkind = iota // name
	nNum                  // name holds the source text
	nStr                  // str holds the pieces
	nConst                // True, False, None, ...: name
	nList                 // kids
	nTuple                // kids
	nSet                  // kids
	nDict                 // keys[i]: kids[i]; keys[i] nil means **kids[i]
	nAttr                 // kids[0].name
	nCall                 // kids[0](kids[1:]..., kw...)
	nIndex                // kids[0][kids[1]]
	nBin                  // kids[0] name kids[1]
	nUnary                // name kids[0]
	nBool                 // kids joined by name ("and", "or")
	nNot                  // not kids[0]
	nCompare              // kids[0] ops[0] kids[1] ...
	nIf                   // kids[0] if kids[1] else kids[2]
	nStar                 // *kids[0]
	nOpaque               // syntax the converter does not model; why says which
)

// node is an expression. pos and end are byte offsets of its source text.
type node struct {
	kind     nkind
	pos, end int
	name     string
	ops      []string
	kids     []*node
	keys     []*node
	kw       []kwarg
	str      []strPiece
	why      string
}

// kwarg is a keyword argument; an empty name means **val.
type kwarg struct {
	name string
	val  *node
}

// strPiece is one part of a (possibly implicitly concatenated, possibly
// formatted) string: decoded literal text, or a replacement field.
type strPiece struct {
	lit   string
	expr  *node
	conv  byte
	spec  string
	debug bool
	err   string // set when the piece cannot be modelled (bytes, \N{...})
}
