package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// block is a features block being checked: its entries may reference each other in any order;
// each is checked when first referenced, and a cycle is reported with its path.
type block struct {
	name   string
	entity bool
	items  map[string]*blockItem
	order  []*blockItem
	stack  []*blockItem
	// finished lists items in the order their checks completed (dependencies first).
	finished []*blockItem
	env      *env
}

type blockItem struct {
	node  *lang.FeatureItem
	state int
	val   value
	ok    bool
	// level is 0 for a feature reading only the frame's columns, else one more than the
	// highest level among the features it reads (from blocks).
	level int
}

func (b *block) names() []string {
	out := make([]string, 0, len(b.order))
	for _, it := range b.order {
		out = append(out, it.node.Name.Name)
	}
	return out
}

// lookup resolves a reference to an entry of the block.
func (b *block) lookup(c *checker, name string, x *lang.Ident, e *env) (value, bool) {
	it := b.items[name]
	if it == nil {
		return value{}, false
	}
	switch it.state {
	case checking:
		i := len(b.stack) - 1
		for i >= 0 && b.stack[i] != it {
			i--
		}
		var path []string
		for _, s := range b.stack[max(i, 0):] {
			path = append(path, s.node.Name.Name)
		}
		path = append(path, name)
		c.diags.Errorf(lang.ECycle, x.Sp, "features of %s depend on each other in a cycle: %s", b.name, strings.Join(path, " -> ")).
			WithHint("a feature cannot read itself, directly or through others")
		return bad, true
	case unvisited:
		c.checkItem(b, it)
	}
	if len(b.stack) > 0 {
		cur := b.stack[len(b.stack)-1]
		cur.level = max(cur.level, it.level+1)
	}
	if !it.ok {
		return bad, true
	}
	if b.entity {
		if it.val.kind == vFrame {
			return frameValue(&LocalFrame{Name: name, Cols: it.val.rel.Schema(), Sp: x.Sp}, name, x), true
		}
		return exprValue(&LocalRef{Name: name, T: it.val.expr.Type(), Sp: x.Sp}, x), true
	}
	return exprValue(&Col{Name: name, T: it.val.expr.Type(), Sp: x.Sp}, x), true
}

func (c *checker) checkItem(b *block, it *blockItem) {
	it.state = checking
	b.stack = append(b.stack, it)
	v := c.expr(it.node.Value, b.env)
	b.stack = b.stack[:len(b.stack)-1]
	it.state = done
	b.finished = append(b.finished, it)
	it.val = v
	switch {
	case v.kind == vBad:
		it.ok = false
	case b.entity && v.kind == vFrame:
		it.ok = true
	case b.entity && v.kind == vFrameCol:
		c.diags.Errorf(lang.ENotScalar, it.node.Value.Span(), "feature %s of entity features must be one value per entity, but %s is a whole column", it.node.Name.Name, describeNode(it.node.Value)).
			WithHint("aggregate it: %s.sum(), %s.max(), %s.last(order_by = …)", rawText(it.node.Value), rawText(it.node.Value), rawText(it.node.Value))
		it.ok = false
	default:
		e, ok := c.asExpr(v, it.node.Value)
		if !ok {
			it.ok = false
			return
		}
		if b.entity && e.Shape() != Scalar {
			c.diags.Errorf(lang.ENotScalar, it.node.Value.Span(), "feature %s of entity features must be one value per entity, but this is a column", it.node.Name.Name).
				WithHint("aggregate a frame's column: past.amount.sum()")
			it.ok = false
			return
		}
		if e.Type().Kind == types.Null {
			c.diags.Errorf(lang.ENullType, it.node.Value.Span(), "feature %s is null with no type", it.node.Name.Name).
				WithHint("cast it: null.cast(float64)")
			it.ok = false
			return
		}
		it.val = exprValue(e, it.node.Value)
		it.ok = true
	}
}

// newBlock indexes a block's features, reporting duplicates and collisions with names the
// features would shadow.
func (c *checker) newBlock(decl *lang.FeaturesDecl, entity bool, taken Schema) *block {
	b := &block{name: decl.Name.Name, entity: entity, items: map[string]*blockItem{}}
	for _, item := range decl.Items {
		fi, ok := item.(*lang.FeatureItem)
		if !ok {
			continue
		}
		name := fi.Name.Name
		if prev, dup := b.items[name]; dup {
			c.diags.Errorf(lang.EDuplicate, fi.Name.Sp, "feature %s is defined twice in %s", name, decl.Name.Name).
				WithHint("the first definition is at %s", prev.node.Name.Sp)
			continue
		}
		if taken.Index(name) >= 0 {
			c.diags.Errorf(lang.EShadowsColumn, fi.Name.Sp, "feature %s has the name of a column of the frame it is computed over", name).
				WithHint("give the feature another name; features and columns share one namespace")
			continue
		}
		it := &blockItem{node: fi}
		b.items[name] = it
		b.order = append(b.order, it)
	}
	return b
}

func (c *checker) checkFeaturesFrom(decl *lang.FeaturesDecl) *Def {
	from, ok := c.asFrame(c.expr(decl.From, c.globalEnv()), decl.From)
	if !ok {
		return nil
	}
	b := c.newBlock(decl, false, from.Schema())
	b.env = &env{ctx: ctxRow, schema: from.Schema(), frameName: describeNode(decl.From), block: b}
	for _, it := range b.order {
		if it.state == unvisited {
			c.checkItem(b, it)
		}
	}
	for _, it := range b.order {
		if !it.ok {
			return nil
		}
	}
	// One Project per dependency level: features reading other features come after them, so
	// the plan's depth grows with the depth of dependencies, not with the number of features.
	rel := from
	maxLevel := 0
	for _, it := range b.order {
		maxLevel = max(maxLevel, it.level)
	}
	var names []string
	byLevel := make([][]*blockItem, maxLevel+1)
	for _, it := range b.order {
		byLevel[it.level] = append(byLevel[it.level], it)
	}
	for level := 0; level <= maxLevel; level++ {
		cols := passthrough(rel.Schema())
		for _, it := range byLevel[level] {
			cols = append(cols, NamedExpr{Name: it.node.Name.Name, Expr: it.val.expr})
		}
		p, err := NewProject(rel, cols, decl.Name.Sp)
		if err != nil {
			c.refused(decl.Name.Sp, err)
			return nil
		}
		rel = p
	}
	for _, it := range b.order {
		names = append(names, it.node.Name.Name)
	}
	// Restore the declared order of the features when levels reordered them.
	if maxLevel > 0 {
		cols := passthrough(from.Schema())
		out := rel.Schema()
		typ := make(map[string]types.Type, len(out)) // a lookup each in the schema is n²
		for _, f := range out {
			typ[f.Name] = f.Type
		}
		for _, n := range names {
			cols = append(cols, NamedExpr{Name: n, Expr: &Col{Name: n, T: typ[n]}})
		}
		p, err := NewProject(rel, cols, decl.Name.Sp)
		if err != nil {
			c.refused(decl.Name.Sp, err)
			return nil
		}
		rel = p
	}
	d := &Def{Name: decl.Name.Name, Kind: FeaturesDef, Sp: decl.Name.Sp, Schema: rel.Schema(), Rel: rel, Features: names}
	d.Expects = c.expects(decl, rel.Schema(), nil)
	return d
}

// entityScope is the entity and time of entity features, visible to the block's expressions.
type entityScope struct {
	name string
	keys Schema
	time string
	sp   lang.Span
	// frames and restricted count the frames the block reads, and those restricted to the
	// entity's rows; mistyped names a key column found with another type than the entity's.
	frames, restricted int
	mistyped           string
}

func (s *entityScope) lookup(name string, x *lang.Ident) (value, bool) {
	if name == s.time {
		return exprValue(&Outer{Name: name, T: types.TimestampT, Sp: x.Sp}, x), true
	}
	if f, ok := s.keys.Lookup(name); ok {
		return exprValue(&Outer{Name: name, T: f.Type, Sp: x.Sp}, x), true
	}
	return value{}, false
}

func (s *entityScope) names() []string { return append(s.keys.Names(), s.time) }

// restrict limits a frame read inside entity features to the current entity's rows, when the
// frame has every key column of the entity (with the key's type); other frames are read whole.
func (c *checker) restrict(s *entityScope, rel Rel) Rel {
	s.frames++
	schema := rel.Schema()
	var pred Expr
	for _, k := range s.keys {
		f, ok := schema.Lookup(k.Name)
		if !ok {
			return rel
		}
		if f.Type != k.Type {
			s.mistyped = fmt.Sprintf("the frame's column %s is %s, but the key %s of %s is %s", f.Name, f.Type, k.Name, s.name, k.Type)
			return rel
		}
		v := c.applyScalar(c.lib.Lookup("eq"), []Expr{&Col{Name: f.Name, T: f.Type}, &Outer{Name: k.Name, T: k.Type}}, nil, &lang.Ident{Sp: rel.Span(), Name: k.Name}, rel.Span())
		if v.kind != vExpr {
			return rel
		}
		if pred == nil {
			pred = v.expr
		} else {
			and := c.lib.Lookup("and")
			pred = &Call{Func: and, Overload: and.Overloads[0], Args: []Expr{pred, v.expr}, T: types.BoolT, Sp: rel.Span()}
		}
	}
	s.restricted++
	return &Filter{Input: rel, Pred: pred, Sp: rel.Span()}
}

func (c *checker) checkEntityFeatures(decl *lang.FeaturesDecl) *Def {
	info := c.decls[decl.Entity.Name]
	if info == nil {
		d := c.diags.Errorf(lang.EUnknownEntity, decl.Entity.Sp, "unknown entity %s", decl.Entity.Name)
		var ents []string
		for n, di := range c.decls {
			if _, ok := di.decl.(*lang.EntityDecl); ok {
				ents = append(ents, n)
			}
		}
		sort.Strings(ents)
		if s := suggest(decl.Entity.Name, ents); s != "" {
			d.WithHint("did you mean %s?", s)
		} else {
			d.WithHint("declare it: entity %s { key: int64 }", decl.Entity.Name)
		}
		return nil
	}
	if _, ok := info.decl.(*lang.EntityDecl); !ok {
		c.diags.Errorf(lang.EUnknownEntity, decl.Entity.Sp, "%s is not an entity", decl.Entity.Name).
			WithHint("declare it: entity %s { key: int64 }, naming the columns that identify one", decl.Entity.Name)
		return nil
	}
	c.deps[decl.Entity.Name] = true
	ent := c.def(decl.Entity.Name, decl.Entity.Sp)
	if ent == nil {
		return nil
	}
	time := decl.At.Name
	if ent.Schema.Index(time) >= 0 {
		c.diags.Errorf(lang.EDuplicate, decl.At.Sp, "the time %s has the name of a key of entity %s", time, ent.Name)
		return nil
	}
	scope := &entityScope{name: ent.Name, keys: ent.Schema, time: time, sp: decl.At.Sp}
	spineCols := append(append(Schema{}, ent.Schema...), Field{Name: time, Type: types.TimestampT})
	b := c.newBlock(decl, true, spineCols)
	b.env = &env{ctx: ctxScalar, block: b, ent: scope}
	for _, it := range b.order {
		if it.state == unvisited {
			c.checkItem(b, it)
		}
	}
	apply := &EntityApply{Spine: &Spine{Cols: spineCols, Sp: decl.Name.Sp}, Keys: ent.Schema.Names(), Time: time, Sp: decl.Name.Sp}
	var names []string
	for _, it := range b.order {
		if !it.ok {
			return nil
		}
		if it.val.kind == vExpr {
			apply.Features = append(apply.Features, NamedExpr{Name: it.node.Name.Name, Expr: it.val.expr})
			names = append(names, it.node.Name.Name)
		}
	}
	for _, it := range b.finished {
		if it.val.kind == vFrame {
			apply.Steps = append(apply.Steps, EntityStep{Name: it.node.Name.Name, Rel: it.val.rel})
		} else {
			apply.Steps = append(apply.Steps, EntityStep{Name: it.node.Name.Name, Expr: it.val.expr})
		}
	}
	if scope.frames > 0 && scope.restricted == 0 {
		d := c.diags.Errorf(lang.EEntityKeyMissing, decl.Entity.Sp, "no frame these features read has the key column(s) of %s (%s): every %s would get the same values",
			ent.Name, strings.Join(ent.Schema.Names(), ", "), ent.Name)
		if scope.mistyped != "" {
			d.WithHint("%s; convert the column or declare the key with that type", scope.mistyped)
		} else {
			d.WithHint("read a frame with the column(s) %s, which featc restricts to each entity's rows", strings.Join(ent.Schema.Names(), ", "))
		}
		return nil
	}
	if len(apply.Features) == 0 {
		c.diags.Errorf(lang.ENotScalar, decl.Name.Sp, "entity features %s define no feature (only frames)", decl.Name.Name)
		return nil
	}
	d := &Def{Name: decl.Name.Name, Kind: EntityFeaturesDef, Sp: decl.Name.Sp, Schema: apply.Schema(), Rel: apply, Features: names, Entity: ent.Name}
	d.Expects = c.expects(decl, apply.Schema(), nil)
	return d
}

// expects checks a block's expectations as row conditions over its output.
func (c *checker) expects(decl *lang.FeaturesDecl, out Schema, _ *block) []*Expect {
	var list []*Expect
	e := &env{ctx: ctxRow, schema: out, frameName: decl.Name.Name}
	for _, item := range decl.Items {
		ex, ok := item.(*lang.ExpectItem)
		if !ok {
			continue
		}
		level := LevelError
		if ex.Level != nil {
			switch ex.Level.Name {
			case "warn":
				level = LevelWarn
			case "error":
			default:
				c.diags.Errorf(lang.EExpectLevel, ex.Level.Sp, "an expectation fails as error or warn, not %s", ex.Level.Name).
					WithHint("expect cond else warn")
				continue
			}
		}
		cond, ok := c.asExpr(c.expr(ex.Cond, e), ex.Cond)
		if !ok {
			continue
		}
		if cond.Type().Kind != types.Bool {
			c.diags.Errorf(lang.EExpectNotBool, ex.Cond.Span(), "an expectation is a bool condition, but this is %s", cond.Type()).
				WithHint("for example: expect amount.is_not_null(), expect amount.between(0, 1000)")
			continue
		}
		list = append(list, &Expect{Cond: cond, Level: level, Text: strings.Join(strings.Fields(ex.Cond.Span().Text()), " "), Sp: ex.Sp})
	}
	return list
}
