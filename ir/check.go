package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Option configures Check.
type Option func(*config)

type config struct {
	mode string
	lib  *stdlib.Library
}

// WithMode selects the mode whose definitions join the shared ones.
func WithMode(mode string) Option { return func(c *config) { c.mode = mode } }

// WithLibrary replaces the standard library (for tests of the checker itself).
func WithLibrary(lib *stdlib.Library) Option { return func(c *config) { c.lib = lib } }

// declInfo is a top-level declaration and the mode block it sits in ("" for shared).
type declInfo struct {
	name string
	decl lang.Decl
	mode string
}

// Check resolves names and types in files for one mode and returns the typed program, in
// dependency order, with every definition of the shared namespace and of that mode. It
// returns a nil Program when there are errors; the diagnostics are sorted.
func Check(files []*lang.File, opts ...Option) (*Program, lang.Diagnostics) {
	cfg := config{lib: stdlib.Standard()}
	for _, o := range opts {
		o(&cfg)
	}
	var diags lang.Diagnostics
	ns := collect(files, &diags)
	if cfg.mode != "" && !ns.hasMode(cfg.mode) {
		d := diags.Errorf(lang.EUnknownMode, lang.Span{}, "no mode %q is declared", cfg.mode)
		if len(ns.modes) > 0 {
			d.WithHint("the modes are: %s", strings.Join(ns.modes, ", "))
		} else {
			d.WithHint("these files declare no mode blocks")
		}
		diags.Sort()
		return nil, diags
	}
	c := newChecker(cfg.lib, ns, cfg.mode, &diags)
	c.checkAll()
	if !diags.HasErrors() {
		warnSkew(c.defs, &diags, map[lang.Span]bool{})
	}
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	prog := NewProgram(cfg.mode, ns.modes, cfg.lib, c.order)
	prog.Warnings = diags
	return prog, diags
}

// CheckAll checks files in every mode they declare (once without a mode when they declare
// none), so that no mode's errors go unnoticed, and reports names defined in several modes
// whose kinds or types disagree. This is what `featc check` runs.
func CheckAll(files []*lang.File, opts ...Option) lang.Diagnostics {
	cfg := config{lib: stdlib.Standard()}
	for _, o := range opts {
		o(&cfg)
	}
	var diags lang.Diagnostics
	ns := collect(files, &diags)
	modes := ns.modes
	if len(modes) == 0 {
		modes = []string{""}
	}
	perMode := map[string]map[string]*Def{}
	read, failed := map[string]bool{}, map[string]bool{}
	skewSeen := map[lang.Span]bool{}
	for _, m := range modes {
		c := newChecker(cfg.lib, ns, m, &diags)
		c.checkAll()
		warnSkew(c.defs, &diags, skewSeen)
		perMode[m] = c.defs
		for n := range c.read {
			read[n] = true
		}
		for n, d := range c.defs {
			if d == nil {
				failed[n] = true
			}
		}
	}
	checkModeAgreement(ns, perMode, &diags)
	warnUnused(ns, read, failed, &diags)
	diags.Sort()
	return diags
}

// namespace is every declaration of a directory, shared and per mode.
type namespace struct {
	shared map[string]*declInfo
	byMode map[string]map[string]*declInfo
	modes  []string
	// order lists declarations as written, for deterministic checking order.
	order []*declInfo
}

func (ns *namespace) hasMode(m string) bool {
	_, ok := ns.byMode[m]
	return ok
}

// collect indexes the declarations of all files and reports duplicates.
func collect(files []*lang.File, diags *lang.Diagnostics) *namespace {
	ns := &namespace{shared: map[string]*declInfo{}, byMode: map[string]map[string]*declInfo{}}
	add := func(d lang.Decl, mode string) {
		id := d.DeclName()
		if id == nil {
			return
		}
		info := &declInfo{name: id.Name, decl: d, mode: mode}
		if mode == "" {
			if prev, ok := ns.shared[id.Name]; ok {
				dupError(diags, id, prev)
				return
			}
			for m, decls := range ns.byMode {
				if prev, ok := decls[id.Name]; ok {
					sharedAndMode(diags, id, prev, m)
					return
				}
			}
			ns.shared[id.Name] = info
		} else {
			if prev, ok := ns.shared[id.Name]; ok {
				sharedAndMode(diags, id, prev, mode)
				return
			}
			if prev, ok := ns.byMode[mode][id.Name]; ok {
				dupError(diags, id, prev)
				return
			}
			ns.byMode[mode][id.Name] = info
		}
		ns.order = append(ns.order, info)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			if m, ok := d.(*lang.ModeDecl); ok {
				if _, seen := ns.byMode[m.Name.Name]; !seen {
					ns.byMode[m.Name.Name] = map[string]*declInfo{}
					ns.modes = append(ns.modes, m.Name.Name)
				}
				for _, inner := range m.Decls {
					if _, nested := inner.(*lang.ModeDecl); nested {
						continue // reported by the parser
					}
					add(inner, m.Name.Name)
				}
				continue
			}
			add(d, "")
		}
	}
	sort.Strings(ns.modes)
	return ns
}

func dupError(diags *lang.Diagnostics, id *lang.Ident, prev *declInfo) {
	diags.Errorf(lang.EDuplicate, id.Sp, "%s is already defined", id.Name).
		WithHint("the first definition is at %s", prev.decl.DeclName().Sp)
}

func sharedAndMode(diags *lang.Diagnostics, id *lang.Ident, prev *declInfo, mode string) {
	diags.Errorf(lang.ESharedAndMode, id.Sp, "%s is defined both outside any mode and in mode %s", id.Name, mode).
		WithHint("the other definition is at %s; a name is either shared or defined per mode", prev.decl.DeclName().Sp)
}

// checkModeAgreement reports names defined in several modes with different kinds or types.
func checkModeAgreement(ns *namespace, perMode map[string]map[string]*Def, diags *lang.Diagnostics) {
	type seen struct {
		mode string
		desc string
		info *declInfo
	}
	first := map[string]seen{}
	for _, m := range ns.modes {
		names := make([]string, 0, len(ns.byMode[m]))
		for n := range ns.byMode[m] {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			d := perMode[m][n]
			if d == nil {
				continue // failed to check; already reported
			}
			desc := describeDefType(d)
			if prev, ok := first[n]; ok {
				if prev.desc != desc {
					info := ns.byMode[m][n]
					diags.Errorf(lang.EModeTypes, info.decl.DeclName().Sp,
						"%s is %s in mode %s but %s in mode %s", n, desc, m, prev.desc, prev.mode).
						WithHint("a name defined per mode must have one type in every mode, so that shared definitions using it check the same way")
				}
				continue
			}
			first[n] = seen{mode: m, desc: desc, info: ns.byMode[m][n]}
		}
	}
}

// describeDefType renders what a definition is, for comparing modes: a scalar's type, or a
// frame's schema. Params and lets are both scalars, so that a let in one mode may be a param
// in another.
func describeDefType(d *Def) string {
	switch d.Kind {
	case ParamDef, LetDef:
		return "a scalar of type " + d.Type.String()
	case SourceDef, EntityDef, FrameDef, FeaturesDef, EntityFeaturesDef:
		var b strings.Builder
		b.WriteString("a frame (")
		for i, f := range d.Schema {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name + " " + f.Type.String())
		}
		b.WriteString(")")
		return b.String()
	}
	return d.Kind.String()
}

// checker checks the definitions visible in one mode. Definitions are checked on demand, so
// that a reference checks its target first; the finish order is the dependency order.
type checker struct {
	lib   *stdlib.Library
	ns    *namespace
	mode  string
	diags *lang.Diagnostics
	decls map[string]*declInfo
	// otherModes maps names defined only in modes other than the current one to those modes.
	otherModes map[string][]string
	state      map[string]int // 0 unvisited, 1 checking, 2 done
	stack      []string
	defs       map[string]*Def
	order      []*Def
	// deps collects the definitions read by the definition being checked; read collects every
	// definition read by any, even by those with errors.
	deps map[string]bool
	read map[string]bool
	// defaults caches parsed default literals of stdlib parameters.
	defaults map[string]*Lit
}

const (
	unvisited = iota
	checking
	done
)

func newChecker(lib *stdlib.Library, ns *namespace, mode string, diags *lang.Diagnostics) *checker {
	c := &checker{
		lib: lib, ns: ns, mode: mode, diags: diags,
		decls:      map[string]*declInfo{},
		otherModes: map[string][]string{},
		state:      map[string]int{},
		defs:       map[string]*Def{},
		defaults:   map[string]*Lit{},
		read:       map[string]bool{},
	}
	for n, d := range ns.shared {
		c.decls[n] = d
	}
	for m, decls := range ns.byMode {
		for n, d := range decls {
			if m == mode {
				c.decls[n] = d
			} else {
				c.otherModes[n] = append(c.otherModes[n], m)
			}
		}
	}
	for n := range c.otherModes {
		sort.Strings(c.otherModes[n])
	}
	return c
}

func (c *checker) checkAll() {
	for _, info := range c.ns.order {
		if info.mode == "" || info.mode == c.mode {
			c.def(info.name, info.decl.DeclName().Sp)
		}
	}
}

// def returns the checked definition of name, checking it first if needed. It returns nil
// when the definition has errors or is part of a cycle (reported at ref).
func (c *checker) def(name string, ref lang.Span) *Def {
	switch c.state[name] {
	case done:
		return c.defs[name]
	case checking:
		i := len(c.stack) - 1
		for i >= 0 && c.stack[i] != name {
			i--
		}
		cycle := append(append([]string{}, c.stack[i:]...), name)
		c.diags.Errorf(lang.ECycle, ref, "definitions depend on each other in a cycle: %s", strings.Join(cycle, " -> ")).
			WithHint("a definition cannot read itself, directly or through others")
		return nil
	}
	info := c.decls[name]
	if info == nil {
		return nil
	}
	c.state[name] = checking
	c.stack = append(c.stack, name)
	savedDeps := c.deps
	c.deps = map[string]bool{}
	d := c.checkDecl(info)
	for dep := range c.deps {
		c.read[dep] = true
	}
	if d != nil {
		for dep := range c.deps {
			d.Deps = append(d.Deps, dep)
		}
		sort.Strings(d.Deps)
	}
	c.deps = savedDeps
	c.stack = c.stack[:len(c.stack)-1]
	c.state[name] = done
	c.defs[name] = d
	if d != nil {
		c.order = append(c.order, d)
	}
	return d
}

func (c *checker) checkDecl(info *declInfo) *Def {
	errsBefore := len(c.diags.Errors())
	var d *Def
	switch decl := info.decl.(type) {
	case *lang.SourceDecl:
		d = &Def{Name: decl.Name.Name, Kind: SourceDef, Sp: decl.Name.Sp, Schema: c.schema("source", decl.Name, decl.Fields)}
	case *lang.EntityDecl:
		d = &Def{Name: decl.Name.Name, Kind: EntityDef, Sp: decl.Name.Sp, Schema: c.schema("entity", decl.Name, decl.Fields)}
	case *lang.ParamDecl:
		d = c.checkParam(decl)
	case *lang.LetDecl:
		d = c.checkLet(decl)
	case *lang.FrameDecl:
		d = c.checkFrame(decl)
	case *lang.FeaturesDecl:
		if decl.From != nil {
			d = c.checkFeaturesFrom(decl)
		} else {
			d = c.checkEntityFeatures(decl)
		}
	}
	if d == nil || len(c.diags.Errors()) > errsBefore {
		return nil
	}
	d.Mode = info.mode
	return d
}

// schema checks the columns of a source or entity.
func (c *checker) schema(what string, name *lang.Ident, fields []*lang.Field) Schema {
	if len(fields) == 0 {
		c.diags.Errorf(lang.EEmptySchema, name.Sp, "%s %s has no columns", what, name.Name)
		return nil
	}
	var s Schema
	seen := map[string]*lang.Field{}
	for _, f := range fields {
		if prev, ok := seen[f.Name.Name]; ok {
			c.diags.Errorf(lang.EDuplicateColumn, f.Name.Sp, "column %s is declared twice in %s %s", f.Name.Name, what, name.Name).
				WithHint("the first declaration is at %s", prev.Name.Sp)
			continue
		}
		seen[f.Name.Name] = f
		t, ok := c.typeExpr(f.Type)
		if ok {
			s = append(s, Field{Name: f.Name.Name, Type: t})
		}
	}
	return s
}

// typeExpr resolves a written type.
func (c *checker) typeExpr(te *lang.TypeExpr) (types.Type, bool) {
	for _, a := range te.Args {
		if a < 0 {
			c.diags.Errorf(lang.EBadDecimal, te.Sp, "decimal precision and scale must be small non-negative integers")
			return types.Invalid, false
		}
	}
	t, err := types.Lookup(te.Name, te.Args)
	if err == nil {
		return t, true
	}
	if te.Name == "decimal" {
		c.diags.Errorf(lang.EBadDecimal, te.Sp, "%v", err)
		return types.Invalid, false
	}
	d := c.diags.Errorf(lang.EUnknownType, te.Sp, "%v", err)
	if s := suggest(te.Name, types.Names()); s != "" {
		d.WithHint("did you mean %s?", s)
	} else {
		d.WithHint("the types are: %s", strings.Join(types.Names(), ", "))
	}
	return types.Invalid, false
}

func (c *checker) checkParam(decl *lang.ParamDecl) *Def {
	t, ok := c.typeExpr(decl.Type)
	if !ok {
		return nil
	}
	if !t.Declarable() {
		c.diags.Errorf(lang.EUnknownType, decl.Type.Sp, "a param cannot have type %s", t)
		return nil
	}
	d := &Def{Name: decl.Name.Name, Kind: ParamDef, Sp: decl.Name.Sp, Type: t}
	if decl.Default != nil {
		v := c.expr(decl.Default, c.globalEnv())
		lit, isLit := c.constant(v)
		if !isLit {
			c.diags.Errorf(lang.EBadDefault, decl.Default.Span(), "the default of param %s must be a constant", decl.Name.Name)
			return nil
		}
		conv, ok := c.assignConst(lit, t)
		if !ok {
			c.diags.Errorf(lang.EBadDefault, decl.Default.Span(), "the default of param %s has type %s, not %s", decl.Name.Name, lit.Value.Type, t)
			return nil
		}
		d.Default = &conv.Value
	}
	return d
}

func (c *checker) checkLet(decl *lang.LetDecl) *Def {
	v := c.expr(decl.Value, c.globalEnv())
	if v.kind == vFrameCol {
		c.diags.Errorf(lang.ENotScalar, decl.Value.Span(), "let %s must be a single value, but %s is a whole column", decl.Name.Name, describeNode(decl.Value)).
			WithHint("aggregate it: %s.mean(), %s.max(), …", rawText(decl.Value), rawText(decl.Value))
		return nil
	}
	e, ok := c.asExpr(v, decl.Value)
	if !ok {
		return nil
	}
	if e.Shape() != Scalar {
		c.diags.Errorf(lang.ENotScalar, decl.Value.Span(), "let %s must be a single value, but this is a column", decl.Name.Name).
			WithHint("aggregate it, as in frame.column.mean()")
		return nil
	}
	if decl.Type != nil {
		t, ok := c.typeExpr(decl.Type)
		if !ok {
			return nil
		}
		if lit, isLit := e.(*Lit); isLit {
			conv, ok := c.assignConst(lit, t)
			if !ok {
				lt := lit.Value.Type
				if (lt.IsNumeric() && (t.Kind == types.Int32 || t.Kind == types.Decimal)) && !(lt.Kind == types.Float64 && t.IsInteger()) {
					c.diags.Errorf(lang.ELetType, decl.Value.Span(), "let %s is declared %s but its value %s does not fit it", decl.Name.Name, t, lit.Value)
				} else {
					c.diags.Errorf(lang.ELetType, decl.Value.Span(), "let %s is declared %s but its value has type %s", decl.Name.Name, t, lt)
				}
				return nil
			}
			e = conv
		} else {
			if _, ok := types.Promotable(e.Type(), t); !ok {
				c.diags.Errorf(lang.ELetType, decl.Value.Span(), "let %s is declared %s but its value has type %s", decl.Name.Name, t, e.Type()).
					WithHint("convert it: (…).cast(%s)", t)
				return nil
			}
			e = c.convert(e, t)
		}
	}
	if e.Type().Kind == types.Null {
		c.diags.Errorf(lang.ENullType, decl.Value.Span(), "let %s is null with no type", decl.Name.Name).
			WithHint("declare its type: let %s: float64 = null", decl.Name.Name)
		return nil
	}
	return &Def{Name: decl.Name.Name, Kind: LetDef, Sp: decl.Name.Sp, Type: e.Type(), Expr: e}
}

func (c *checker) checkFrame(decl *lang.FrameDecl) *Def {
	v := c.expr(decl.Value, c.globalEnv())
	rel, ok := c.asFrame(v, decl.Value)
	if !ok {
		return nil
	}
	return &Def{Name: decl.Name.Name, Kind: FrameDef, Sp: decl.Name.Sp, Schema: rel.Schema(), Rel: rel}
}

// suggest returns the candidate closest to name by edit distance, if it is close enough to be
// a plausible typo.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := max(1, len(name)/3)
	if bestD <= limit {
		return best
	}
	// An abbreviation (amt for amount) is a plausible slip too: the shortest candidate that
	// starts with the same letter and contains the name's letters in order.
	abbrev := ""
	for _, c := range candidates {
		if len(name) >= 2 && len(c) > len(name) && c[0] == name[0] && isSubsequence(strings.ToLower(name), strings.ToLower(c)) {
			if abbrev == "" || len(c) < len(abbrev) || (len(c) == len(abbrev) && c < abbrev) {
				abbrev = c
			}
		}
	}
	return abbrev
}

func isSubsequence(short, long string) bool {
	i := 0
	for j := 0; j < len(long) && i < len(short); j++ {
		if long[j] == short[i] {
			i++
		}
	}
	return i == len(short)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// quoteList renders names for messages: "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// warnUnused reports params and entities that no definition reads in any mode (counting the
// definitions that have errors: they read them too). A declaration with errors of its own is
// not also reported unused.
func warnUnused(ns *namespace, read, failed map[string]bool, diags *lang.Diagnostics) {
	for _, info := range ns.order {
		var what string
		switch info.decl.(type) {
		case *lang.ParamDecl:
			what = "param"
		case *lang.EntityDecl:
			what = "entity"
		default:
			continue
		}
		if !read[info.name] && !failed[info.name] {
			diags.Warnf(lang.WUnused, info.decl.DeclName().Sp, "%s %s is never used", what, info.name).
				WithHint("remove it, or read it from a definition")
		}
	}
}
