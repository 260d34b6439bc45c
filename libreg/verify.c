/* verify.c: proves a loaded program safe to run: every index, type, jump, loop and call checked. */
#include <string.h>

#include "date-private.h"
#include "buf-private.h"
#include "program-private.h"

/* Limits beyond the format's own. */
#define VERIFY_MAX_DEPTH 256         /* call chain, in frames */
#define VERIFY_MAX_FRAME_WORDS 65536 /* registers of the deepest call chain */
#define VERIFY_MAX_TYPE_DEPTH 32     /* nesting of lists and records in a type */
#define VERIFY_MAX_PENDING_BYTES (16u << 20) /* register sets of jump targets not reached yet */

typedef struct {
  RegProgram *p;
  GError **error;
  uint32_t func; /* function being verified, or REG_NONE */
  uint32_t pc;
} V;

static gboolean
bad(V *v, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
bad(V *v, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (v->func != REG_NONE)
    g_set_error(v->error, REG_LOAD_ERROR, REG_LOAD_ERROR_VERIFY,
                "verifier: function %u, instruction %u: %s", v->func, v->pc, msg);
  else
    g_set_error(v->error, REG_LOAD_ERROR, REG_LOAD_ERROR_VERIFY, "verifier: %s", msg);
  g_free(msg);
  return FALSE;
}

#define CHECK(cond, ...)                                                                   \
  do {                                                                                     \
    if (!(cond))                                                                           \
      return bad(v, __VA_ARGS__);                                                          \
  } while (0)

static bool
range_ok(uint32_t first, uint32_t n, uint32_t total)
{
  return first <= total && n <= total - first;
}

/* ---- tables --------------------------------------------------------------- */

static gboolean
verify_string(V *v, uint32_t s, const char *what)
{
  CHECK(s < v->p->nstrings, "%s names string %u of %u", what, s, v->p->nstrings);
  return TRUE;
}

static gboolean
verify_type_depth(V *v, uint32_t t, uint8_t *state, uint32_t *depth, uint32_t level)
{
  RegProgram *p = v->p;
  if (state[t] == 2)
    return TRUE;
  CHECK(state[t] != 1, "type %u contains itself", t);
  /* the path walked so far is a chain of that many nested types: deeper than allowed
   * already, and the C stack must not follow a chain of a million types */
  CHECK(level <= VERIFY_MAX_TYPE_DEPTH, "type %u nested more than %d deep", t,
        VERIFY_MAX_TYPE_DEPTH);
  state[t] = 1;
  uint32_t d = 0;
  const RegType *ty = &p->types[t];
  if (ty->kind == REG_TK_LIST) {
    if (!verify_type_depth(v, ty->arg, state, depth, level + 1))
      return FALSE;
    d = depth[ty->arg] + 1;
  } else if (ty->kind == REG_TK_RECORD) {
    const RegRecord *r = &p->records[ty->arg];
    for (uint32_t i = 0; i < r->nfields; i++) {
      uint32_t ft = p->fields[r->first_field + i].type;
      if (!verify_type_depth(v, ft, state, depth, level + 1))
        return FALSE;
      if (depth[ft] + 1 > d)
        d = depth[ft] + 1;
    }
  }
  CHECK(d <= VERIFY_MAX_TYPE_DEPTH, "type %u nested more than %d deep", t, VERIFY_MAX_TYPE_DEPTH);
  depth[t] = d;
  state[t] = 2;
  return TRUE;
}

static gboolean
verify_scalar_value(V *v, uint32_t type, int64_t val, const char *what)
{
  RegProgram *p = v->p;
  const RegType *t = &p->types[type];
  switch (t->kind) {
  case REG_TK_BOOL:
    CHECK(val == 0 || val == 1, "%s: boolean %lld", what, (long long) val);
    break;
  case REG_TK_ENUM: {
    const RegEnum *e = &p->enums[t->arg];
    CHECK((val >= 0 && val < (int64_t) e->nmembers) || (val == -1 && e->open),
          "%s: value %lld outside its enumeration", what, (long long) val);
    break;
  }
  case REG_TK_DATE:
    CHECK(reg_date_valid(val), "%s: date %lld out of range", what, (long long) val);
    break;
  case REG_TK_TEXT:
    CHECK(val >= 0 && val < (int64_t) p->nstrings, "%s: text default is not a string", what);
    break;
  case REG_TK_INT:
  case REG_TK_DEC:
  case REG_TK_DUR:
    break;
  default:
    return bad(v, "%s: a list or record cannot have a constant default", what);
  }
  return TRUE;
}

/* No record reachable from the input may have optional fields: the reader fills every field. */
static gboolean
verify_input_types(V *v, uint32_t type, uint8_t *seen)
{
  RegProgram *p = v->p;
  if (seen[type])
    return TRUE;
  seen[type] = 1;
  const RegType *t = &p->types[type];
  if (t->kind == REG_TK_LIST)
    return verify_input_types(v, t->arg, seen);
  if (t->kind != REG_TK_RECORD)
    return TRUE;
  const RegRecord *r = &p->records[t->arg];
  CHECK(r->noptional == 0, "input record %u has optional fields", t->arg);
  for (uint32_t i = 0; i < r->nfields; i++)
    if (!verify_input_types(v, p->fields[r->first_field + i].type, seen))
      return FALSE;
  return TRUE;
}

static gboolean
verify_tables(V *v)
{
  RegProgram *p = v->p;

  for (uint32_t i = 0; i < p->nstrings; i++) {
    const RegText *t = p->strings[i];
    CHECK(g_utf8_validate(t->s, t->len, NULL) && memchr(t->s, '\0', t->len) == NULL,
          "string %u is not UTF-8 text", i);
  }
  if (!verify_string(v, p->name, "criteria name") ||
      !verify_string(v, p->version, "criteria version"))
    return FALSE;

  /* types */
  CHECK(p->ntypes >= REG_TYPE__PRIMITIVES, "type table lacks the primitive types");
  for (uint32_t i = 0; i < p->ntypes; i++) {
    const RegType *t = &p->types[i];
    if (i < REG_TYPE__PRIMITIVES) {
      CHECK(t->kind == i && t->arg == 0, "type %u must be primitive", i);
      continue;
    }
    switch (t->kind) {
    case REG_TK_ENUM:
      CHECK(t->arg < p->nenums, "type %u: enumeration %u out of range", i, t->arg);
      break;
    case REG_TK_LIST:
      CHECK(t->arg < p->ntypes, "type %u: element type out of range", i);
      break;
    case REG_TK_RECORD:
      CHECK(t->arg < p->nrecords, "type %u: record %u out of range", i, t->arg);
      break;
    default:
      return bad(v, "type %u has kind %u", i, t->kind);
    }
  }

  for (uint32_t i = 0; i < p->nenums; i++) {
    const RegEnum *e = &p->enums[i];
    if (!verify_string(v, e->name, "enumeration name"))
      return FALSE;
    CHECK(e->nmembers >= 1 && e->nmembers <= 64, "enumeration %u has %u members", i, e->nmembers);
    CHECK(range_ok(e->first_member, e->nmembers, p->nenum_members),
          "enumeration %u members out of range", i);
    CHECK(e->open <= 1, "enumeration %u: open flag %u", i, e->open);
  }
  for (uint32_t i = 0; i < p->nenum_members; i++) {
    if (!verify_string(v, p->enum_members[i], "enumeration member"))
      return FALSE;
    CHECK(p->enum_labels[i] == REG_NONE || p->enum_labels[i] < p->nstrings,
          "enumeration member %u: label out of range", i);
  }

  for (uint32_t i = 0; i < p->nrecords; i++) {
    const RegRecord *r = &p->records[i];
    if (!verify_string(v, r->name, "record name"))
      return FALSE;
    CHECK(range_ok(r->first_field, r->nfields, p->nfields), "record %u fields out of range", i);
    CHECK(r->nfields <= 4096, "record %u has %u fields", i, r->nfields);
    uint32_t nopt = 0;
    for (uint32_t k = 0; k < r->nfields; k++)
      if (p->fields[r->first_field + k].flags & REG_FIELD_OPTIONAL)
        nopt++;
    CHECK(nopt == r->noptional && nopt <= 63, "record %u: optional field count wrong", i);
  }

  for (uint32_t i = 0; i < p->nfields; i++) {
    const RegField *f = &p->fields[i];
    if (!verify_string(v, f->name, "field name"))
      return FALSE;
    CHECK(f->type < p->ntypes, "field %u: type out of range", i);
    CHECK((f->flags & ~(uint32_t) REG_FIELD__ALL) == 0, "field %u: unknown flags", i);
    CHECK(f->maxdec <= 6, "field %u: %u decimals", i, f->maxdec);
    uint32_t kind = p->types[f->type].kind;
    if (f->flags & REG_FIELD_DEFAULT)
      if (!verify_scalar_value(v, f->type, f->deflt, "field default"))
        return FALSE;
    if (f->flags & REG_FIELD_MIN)
      CHECK(kind == REG_TK_INT || kind == REG_TK_DEC, "field %u: minimum on a non-number", i);
    if (f->flags & REG_FIELD_MAXDEC)
      CHECK(kind == REG_TK_DEC, "field %u: decimals on a non-decimal", i);
    if (f->flags & REG_FIELD_KEY)
      CHECK(kind == REG_TK_TEXT, "field %u: key is not text", i);
    if (f->flags & REG_FIELD_ASOF)
      CHECK(kind == REG_TK_DATE, "field %u: evaluation date is not a date", i);
  }

  /* types must not contain themselves (values stay finite in depth) */
  uint8_t *state = g_new0(uint8_t, p->ntypes);
  uint32_t *depth = g_new0(uint32_t, p->ntypes);
  gboolean ok = TRUE;
  for (uint32_t i = 0; ok && i < p->ntypes; i++)
    ok = verify_type_depth(v, i, state, depth, 0);
  g_free(state);
  g_free(depth);
  if (!ok)
    return FALSE;

  CHECK(p->input_record < p->nrecords, "input record out of range");
  {
    uint8_t *seen = g_new0(uint8_t, p->ntypes);
    uint32_t root = REG_NONE;
    for (uint32_t t = 0; t < p->ntypes; t++)
      if (p->types[t].kind == REG_TK_RECORD && p->types[t].arg == p->input_record)
        root = t;
    ok = root != REG_NONE;
    if (!ok)
      bad(v, "input record has no type");
    else
      ok = verify_input_types(v, root, seen);
    g_free(seen);
    if (!ok)
      return FALSE;
  }

  for (uint32_t i = 0; i < p->nlocs; i++)
    if (!verify_string(v, p->locs[i].file, "source file name"))
      return FALSE;
  for (uint32_t i = 0; i < p->ninsns; i++)
    CHECK(p->insn_locs[i] < p->nlocs, "instruction %u: location out of range", i);

  for (uint32_t i = 0; i < p->nfuncs; i++) {
    const RegFunction *f = &p->funcs[i];
    if (!verify_string(v, f->name, "function name"))
      return FALSE;
    CHECK(f->rule == REG_NONE || f->rule < p->nrules, "function %u: rule out of range", i);
    CHECK(f->nregs <= 65535 && f->nparams <= f->nregs, "function %u: %u registers", i, f->nregs);
    CHECK(f->ret_type < p->ntypes, "function %u: result type out of range", i);
    CHECK(range_ok(f->first_reg_type, f->nregs, p->nreg_types),
          "function %u: register types out of range", i);
    CHECK(f->ninsns >= 1 && f->ninsns <= 65535 && range_ok(f->first_insn, f->ninsns, p->ninsns),
          "function %u: code out of range", i);
  }
  {
    /* each instruction belongs to one function: condition sites and line tables are
     * per instruction, and a site must see the registers of the function it was made for */
    uint8_t *owned = g_new0(uint8_t, p->ninsns + 1);
    gboolean disjoint = TRUE;
    uint32_t clash = 0;
    for (uint32_t i = 0; disjoint && i < p->nfuncs; i++)
      for (uint32_t k = 0; disjoint && k < p->funcs[i].ninsns; k++) {
        uint8_t *o = &owned[p->funcs[i].first_insn + k];
        disjoint = !*o;
        *o = 1;
        clash = i;
      }
    g_free(owned);
    CHECK(disjoint, "function %u: code shared with another function", clash);
  }
  for (uint32_t i = 0; i < p->nreg_types; i++)
    CHECK(p->reg_types[i] < p->ntypes, "register type %u out of range", i);
  /* The body an untraced run uses instead of a function's takes the same parameters and
   * gives the same type: it is called where the function would be (reg_vm_call). */
  for (uint32_t i = 0; i < p->nfuncs; i++) {
    const RegFunction *f = &p->funcs[i];
    uint32_t j = p->plain_of[i];
    CHECK(j < p->nfuncs, "function %u: plain body out of range", i);
    const RegFunction *g = &p->funcs[j];
    bool same = g->nparams == f->nparams && g->ret_type == f->ret_type;
    for (uint32_t k = 0; same && k < f->nparams; k++)
      same = p->reg_types[g->first_reg_type + k] == p->reg_types[f->first_reg_type + k];
    CHECK(same, "function %u: plain body %u has another signature", i, j);
  }

  for (uint32_t i = 0; i < p->nrules; i++) {
    const RegRuleInfo *r = &p->rules[i];
    if (!verify_string(v, r->name, "rule name"))
      return FALSE;
    CHECK(r->kind <= REG_RULE_VIEW, "rule %u: kind %u", i, r->kind);
    CHECK(r->func < p->nfuncs && r->loc < p->nlocs, "rule %u: reference out of range", i);
    CHECK(r->basis == REG_NONE || r->basis < p->nstrings, "rule %u: basis out of range", i);
    CHECK(r->explain == REG_NONE || r->explain < p->nstrings, "rule %u: explanation out of range",
          i);
    CHECK(r->params < p->nstrings, "rule %u: parameter names out of range", i);
    CHECK(r->has_from <= 1 && (!r->has_from || reg_date_valid(r->from)),
          "rule %u: effective date invalid", i);
  }
  for (uint32_t i = 0; i < p->nglobals; i++) {
    uint32_t f = p->globals[i].func;
    CHECK(f < p->nfuncs && p->funcs[f].nparams == 0, "global %u: function invalid", i);
  }
  CHECK(p->nviews >= 1 && p->default_view < p->nviews, "program has no output");
  for (uint32_t i = 0; i < p->nviews; i++) {
    const RegView *w = &p->views[i];
    if (!verify_string(v, w->name, "output name"))
      return FALSE;
    CHECK(w->record < p->nrecords && w->func < p->nfuncs, "output %u: reference out of range", i);
    const RegFunction *f = &p->funcs[w->func];
    const RegType *rt = &p->types[f->ret_type];
    CHECK(f->nparams == 0 && rt->kind == REG_TK_RECORD && rt->arg == w->record,
          "output %u: function does not return its record", i);
  }
  for (uint32_t i = 0; i < p->nchecks; i++) {
    const RegCheck *c = &p->checks[i];
    CHECK(c->func < p->nfuncs && p->funcs[c->func].nparams == 0 &&
            p->funcs[c->func].ret_type == REG_TYPE_BOOL,
          "requirement %u: function invalid", i);
    if (!verify_string(v, c->message, "requirement message"))
      return FALSE;
  }
  for (uint32_t i = 0; i < p->nconds; i++) {
    const RegCond *c = &p->conds[i];
    CHECK(c->func < p->nfuncs && c->pc < p->funcs[c->func].ninsns, "condition %u: out of range",
          i);
    CHECK(c->rule == REG_NONE || c->rule < p->nrules, "condition %u: rule out of range", i);
    uint32_t cmp = c->cmp & 0xff;
    CHECK(cmp <= REG_CMP__LAST &&
            (c->cmp & ~(uint32_t) (REG_CMP_TEXT | REG_CMP_NEGATED | 0xff)) == 0,
          "condition %u: comparison %u", i, c->cmp);
    if (cmp != REG_CMP_NONE) {
      const RegFunction *f = &p->funcs[c->func];
      CHECK(c->lhs < f->nregs && c->rhs < f->nregs, "condition %u: operands out of range", i);
      uint32_t tl = p->reg_types[f->first_reg_type + c->lhs];
      uint32_t tr = p->reg_types[f->first_reg_type + c->rhs];
      bool text = (c->cmp & REG_CMP_TEXT) != 0;
      CHECK(tl == tr && (text ? tl == REG_TYPE_TEXT : p->types[tl].kind <= REG_TK_ENUM &&
                                                        p->types[tl].kind != REG_TK_TEXT),
            "condition %u: operand types", i);
    }
    if (!verify_string(v, c->label, "condition label"))
      return FALSE;
  }
  return TRUE;
}

/* ---- code ------------------------------------------------------------------ */

typedef struct {
  uint32_t begin, end; /* LOOP at begin, NEXT at end - 1 */
  uint32_t elem, list;
} Loop;

typedef struct {
  V *v;
  const RegFunction *f;
  const uint32_t *rt; /* register types */
  uint32_t words;     /* bitset words */
  uint64_t *cur;
  bool reachable;
  uint64_t **pending; /* per pc: state merged from jumps, or NULL */
  size_t pending_bytes; /* of the states not reached yet */
  Loop loops[64];
  uint32_t nloops;
  bool unset_fields; /* a RECORD takes an optional field from a register maybe never written */
} FV;

static inline const RegType *
rtype(FV *fv, uint32_t r)
{
  return &fv->v->p->types[fv->rt[r]];
}

static inline bool
is_set(const uint64_t *s, uint32_t r)
{
  return (s[r / 64] >> (r % 64)) & 1;
}

static inline void
set_bit(uint64_t *s, uint32_t r)
{
  s[r / 64] |= (uint64_t) 1 << (r % 64);
}

static gboolean
reg_ok(FV *fv, uint32_t r)
{
  V *v = fv->v;
  CHECK(r < fv->f->nregs, "register %u out of range (%u registers)", r, fv->f->nregs);
  return TRUE;
}

static gboolean
read_ok(FV *fv, uint32_t r)
{
  V *v = fv->v;
  if (!reg_ok(fv, r))
    return FALSE;
  CHECK(!fv->reachable || is_set(fv->cur, r), "register %u read before it is written", r);
  return TRUE;
}

static gboolean
write_ok(FV *fv, uint32_t r)
{
  V *v = fv->v;
  if (!reg_ok(fv, r))
    return FALSE;
  for (uint32_t i = 0; i < fv->nloops; i++) {
    const Loop *l = &fv->loops[i];
    CHECK(r != l->elem && r != l->elem + 1 && r != l->list,
          "register %u of an enclosing loop written in its body", r);
  }
  return TRUE;
}

static void
assign(FV *fv, uint32_t r)
{
  set_bit(fv->cur, r);
}

static gboolean
jump_to(FV *fv, uint32_t target, uint32_t extra_assigned)
{
  V *v = fv->v;
  CHECK(target > v->pc && target < fv->f->ninsns, "jump target %u not forward within the function",
        target);
  if (!fv->reachable)
    return TRUE;
  uint64_t **slot = &fv->pending[target];
  if (!*slot) {
    /* one register set per jump target ahead: bounded, so that a small file cannot make
     * the verifier take memory out of proportion (65535 registers x 32766 targets) */
    fv->pending_bytes += fv->words * sizeof(uint64_t);
    CHECK(fv->pending_bytes <= VERIFY_MAX_PENDING_BYTES,
          "too many jump targets ahead for %u registers", fv->f->nregs);
    *slot = g_new(uint64_t, fv->words);
    memcpy(*slot, fv->cur, fv->words * sizeof(uint64_t));
    if (extra_assigned != REG_NONE)
      set_bit(*slot, extra_assigned);
  } else {
    for (uint32_t i = 0; i < fv->words; i++) {
      uint64_t w = fv->cur[i];
      if (extra_assigned != REG_NONE && extra_assigned / 64 == i)
        w |= (uint64_t) 1 << (extra_assigned % 64);
      (*slot)[i] &= w;
    }
  }
  return TRUE;
}

static bool
kind_in(const RegType *t, unsigned mask)
{
  return (mask >> t->kind) & 1;
}

#define K(k) (1u << REG_TK_##k)
#define SCALAR (K(BOOL) | K(INT) | K(DEC) | K(DATE) | K(DUR) | K(ENUM))
#define ORDERED (K(INT) | K(DEC) | K(DATE))
#define NUMERIC (K(INT) | K(DEC))

static gboolean
same(FV *fv, uint32_t a, uint32_t b)
{
  V *v = fv->v;
  CHECK(fv->rt[a] == fv->rt[b], "registers %u and %u differ in type", a, b);
  return TRUE;
}

static gboolean
is_type(FV *fv, uint32_t r, uint32_t type)
{
  V *v = fv->v;
  CHECK(fv->rt[r] == type, "register %u has type %u, needs %u", r, fv->rt[r], type);
  return TRUE;
}

static gboolean
kind_ok(FV *fv, uint32_t r, unsigned mask)
{
  V *v = fv->v;
  CHECK(kind_in(rtype(fv, r), mask), "register %u has the wrong kind of type", r);
  return TRUE;
}

static gboolean
verify_insn(FV *fv, uint64_t w, uint32_t fi)
{
  V *v = fv->v;
  RegProgram *p = v->p;
  unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w), b = REG_INSN_B(w), c = REG_INSN_C(w);
  CHECK(op < REG_OP__COUNT, "unknown opcode %u", op);
  CHECK(REG_INSN_PAD(w) == 0, "reserved bits set");

  /* Operands marked unused must be zero, so that no two encodings mean the same. */
  static const char kinds[REG_OP__COUNT][3] = {
#define REG_OP_KINDS(name, ka, kb, kc, meaning) { ka, kb, kc },
    REG_OPCODES(REG_OP_KINDS)
#undef REG_OP_KINDS
  };
  unsigned ops[3] = { a, b, c };
  for (int i = 0; i < 3; i++)
    CHECK(kinds[op][i] != '-' || ops[i] == 0, "unused operand %d is not zero", i);

  switch ((RegOpcode) op) {
  case REG_OP_NOP:
    break;
  case REG_OP_MOVE:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !same(fv, a, b))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_LOADK:
    if (!write_ok(fv, a) || !kind_ok(fv, a, SCALAR))
      return FALSE;
    CHECK(b < p->nconsts, "constant %u out of range", b);
    if (!verify_scalar_value(v, fv->rt[a], p->consts[b], "constant"))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_LOADS:
    if (!write_ok(fv, a) || !is_type(fv, a, REG_TYPE_TEXT))
      return FALSE;
    CHECK(b < p->nstrings, "string %u out of range", b);
    assign(fv, a);
    break;
  case REG_OP_LOADEMPTY:
  case REG_OP_ENUMLIST:
    if (!write_ok(fv, a) || !kind_ok(fv, a, K(LIST)))
      return FALSE;
    if (op == REG_OP_ENUMLIST)
      CHECK(p->types[rtype(fv, a)->arg].kind == REG_TK_ENUM, "ENUMLIST into a non-enum list");
    assign(fv, a);
    break;
  case REG_OP_LOADINPUT:
    if (!write_ok(fv, a) || !kind_ok(fv, a, K(RECORD)))
      return FALSE;
    CHECK(rtype(fv, a)->arg == p->input_record, "input loaded into another record type");
    assign(fv, a);
    break;
  case REG_OP_LOADDATE:
    if (!write_ok(fv, a) || !is_type(fv, a, REG_TYPE_DATE))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_GLOBAL:
    if (!write_ok(fv, a))
      return FALSE;
    CHECK(b < p->nglobals, "global %u out of range", b);
    CHECK(p->globals[b].func < fi, "global %u computed by a later function (recursion)", b);
    if (!is_type(fv, a, p->funcs[p->globals[b].func].ret_type))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_GETF: {
    if (!read_ok(fv, b) || !write_ok(fv, a) || !kind_ok(fv, b, K(RECORD)))
      return FALSE;
    const RegRecord *r = &p->records[rtype(fv, b)->arg];
    CHECK(c < r->nfields, "field %u out of range", c);
    const RegField *fd = &p->fields[r->first_field + c];
    CHECK(!(fd->flags & REG_FIELD_OPTIONAL), "optional field %u read", c);
    if (!is_type(fv, a, fd->type))
      return FALSE;
    assign(fv, a);
    break;
  }
  case REG_OP_NOT:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) ||
        !is_type(fv, b, REG_TYPE_BOOL))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_EQ:
  case REG_OP_NE:
  case REG_OP_LT:
  case REG_OP_LE:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) ||
        !same(fv, b, c) ||
        !kind_ok(fv, b, (op == REG_OP_EQ || op == REG_OP_NE) ? SCALAR : ORDERED))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_TEQ:
  case REG_OP_TNE:
  case REG_OP_TLT:
  case REG_OP_TLE:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) ||
        !is_type(fv, b, REG_TYPE_TEXT) || !is_type(fv, c, REG_TYPE_TEXT))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_ADD:
  case REG_OP_SUB:
  case REG_OP_MIN:
  case REG_OP_MAX:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !same(fv, a, b) ||
        !same(fv, a, c) ||
        !kind_ok(fv, a, (op == REG_OP_MIN || op == REG_OP_MAX) ? ORDERED : NUMERIC))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_MULI:
  case REG_OP_MULD:
  case REG_OP_DIVD: {
    uint32_t t = op == REG_OP_MULI ? REG_TYPE_INT : REG_TYPE_DEC;
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, t) ||
        !is_type(fv, b, t) || !is_type(fv, c, t))
      return FALSE;
    assign(fv, a);
    break;
  }
  case REG_OP_NEG:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !same(fv, a, b) || !kind_ok(fv, a, NUMERIC))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_I2D:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_DEC) ||
        !is_type(fv, b, REG_TYPE_INT))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_DADD:
  case REG_OP_DSUB:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) ||
        !is_type(fv, a, REG_TYPE_DATE) || !is_type(fv, b, REG_TYPE_DATE) ||
        !is_type(fv, c, REG_TYPE_DUR))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_DDIFF:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_INT) ||
        !is_type(fv, b, REG_TYPE_DATE) || !is_type(fv, c, REG_TYPE_DATE))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_DUR:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_DUR) ||
        !is_type(fv, b, REG_TYPE_INT))
      return FALSE;
    CHECK(c <= 3, "duration unit %u", c);
    assign(fv, a);
    break;
  case REG_OP_DURMUL:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_DUR) ||
        !is_type(fv, b, REG_TYPE_DUR) || !is_type(fv, c, REG_TYPE_INT))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_DURADD:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_DUR) ||
        !is_type(fv, b, REG_TYPE_DUR) || !is_type(fv, c, REG_TYPE_DUR))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_JMP:
    if (!jump_to(fv, a, REG_NONE))
      return FALSE;
    fv->reachable = false;
    break;
  case REG_OP_JF:
  case REG_OP_JT:
    if (!read_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) || !jump_to(fv, b, REG_NONE))
      return FALSE;
    break;
  case REG_OP_JEQ:
  case REG_OP_JNE:
  case REG_OP_JLT:
  case REG_OP_JLE:
    if (!read_ok(fv, a) || !read_ok(fv, b) || !same(fv, a, b) ||
        !kind_ok(fv, a, (op == REG_OP_JEQ || op == REG_OP_JNE) ? SCALAR : ORDERED) ||
        !jump_to(fv, c, REG_NONE))
      return FALSE;
    break;
  case REG_OP_JTEQ:
  case REG_OP_JTNE:
    if (!read_ok(fv, a) || !read_ok(fv, b) || !is_type(fv, a, REG_TYPE_TEXT) ||
        !is_type(fv, b, REG_TYPE_TEXT) || !jump_to(fv, c, REG_NONE))
      return FALSE;
    break;
  case REG_OP_JFF:
  case REG_OP_JTF: {
    if (!read_ok(fv, a) || !kind_ok(fv, a, K(RECORD)))
      return FALSE;
    const RegRecord *r = &p->records[rtype(fv, a)->arg];
    CHECK(b < r->nfields, "field %u out of range", b);
    const RegField *fd = &p->fields[r->first_field + b];
    CHECK(!(fd->flags & REG_FIELD_OPTIONAL) && fd->type == REG_TYPE_BOOL,
          "field %u is not a boolean that is always present", b);
    if (!jump_to(fv, c, REG_NONE))
      return FALSE;
    break;
  }
  case REG_OP_JEMPTY:
  case REG_OP_JNEMPTY:
    if (!read_ok(fv, a) || !kind_ok(fv, a, K(LIST)) || !jump_to(fv, c, REG_NONE))
      return FALSE;
    break;
  case REG_OP_JTIN:
  case REG_OP_JNTIN:
    if (!read_ok(fv, a) || !read_ok(fv, b) || !is_type(fv, a, REG_TYPE_TEXT) ||
        !kind_ok(fv, b, K(LIST)) || !jump_to(fv, c, REG_NONE))
      return FALSE;
    CHECK(rtype(fv, b)->arg == REG_TYPE_TEXT, "JTIN needs a list of text");
    break;
  case REG_OP_JINSET:
  case REG_OP_JNINSET:
    if (!read_ok(fv, a) || !kind_ok(fv, a, K(ENUM)) || !jump_to(fv, c, REG_NONE))
      return FALSE;
    CHECK(b < p->nconsts, "constant %u out of range", b);
    break;
  case REG_OP_ADDF: {
    if (!read_ok(fv, a) || !read_ok(fv, b) || !write_ok(fv, a) || !kind_ok(fv, a, NUMERIC) ||
        !kind_ok(fv, b, K(RECORD)))
      return FALSE;
    const RegRecord *r = &p->records[rtype(fv, b)->arg];
    CHECK(c < r->nfields, "field %u out of range", c);
    const RegField *fd = &p->fields[r->first_field + c];
    CHECK(!(fd->flags & REG_FIELD_OPTIONAL) && fd->type == fv->rt[a],
          "ADDF field type differs from the accumulator");
    break;
  }
  case REG_OP_INSET:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) ||
        !kind_ok(fv, b, K(ENUM)))
      return FALSE;
    CHECK(c < p->nconsts, "constant %u out of range", c);
    assign(fv, a);
    break;
  case REG_OP_TIN:
  case REG_OP_VIN: {
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_BOOL) ||
        !kind_ok(fv, c, K(LIST)))
      return FALSE;
    uint32_t et = rtype(fv, c)->arg;
    if (op == REG_OP_TIN) {
      CHECK(et == REG_TYPE_TEXT && fv->rt[b] == REG_TYPE_TEXT, "TIN needs text in a text list");
    } else {
      CHECK(fv->rt[b] == et && kind_in(&p->types[et], SCALAR), "VIN element type mismatch");
    }
    assign(fv, a);
    break;
  }
  case REG_OP_LEN:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !is_type(fv, a, REG_TYPE_INT) ||
        !kind_ok(fv, b, K(LIST)))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_LOOP: {
    if (!read_ok(fv, b) || !write_ok(fv, a) || !reg_ok(fv, a + 1) || !write_ok(fv, a + 1) ||
        !kind_ok(fv, b, K(LIST)) || !is_type(fv, a, rtype(fv, b)->arg) ||
        !is_type(fv, a + 1, REG_TYPE_INT))
      return FALSE;
    CHECK(b != a && b != a + 1, "loop list register is its element register");
    CHECK(c > v->pc + 1 && c <= fv->f->ninsns - 1, "loop end %u out of range", c);
    CHECK(fv->nloops < G_N_ELEMENTS(fv->loops), "loops nested too deeply");
    /* Nothing before the loop may jump into its body. */
    for (uint32_t t = v->pc + 1; t < c; t++)
      CHECK(fv->pending[t] == NULL, "jump from outside into the loop body at %u", t);
    if (!jump_to(fv, c, a + 1))
      return FALSE;
    fv->loops[fv->nloops++] = (Loop){ v->pc, c, a, b };
    assign(fv, a);
    assign(fv, a + 1);
    break;
  }
  case REG_OP_NEXT: {
    CHECK(fv->nloops > 0, "NEXT outside a loop");
    Loop *l = &fv->loops[fv->nloops - 1];
    CHECK(l->end == v->pc + 1 && l->elem == a && l->list == b && c == l->begin + 1,
          "NEXT does not close its loop");
    fv->nloops--;
    if (fv->reachable) {
      assign(fv, a);
      assign(fv, a + 1);
    }
    break;
  }
  case REG_OP_LNEW:
    if (!read_ok(fv, b) || !write_ok(fv, a) || !kind_ok(fv, a, K(LIST)) ||
        !is_type(fv, b, REG_TYPE_INT))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_LPUSH:
    if (!read_ok(fv, a) || !read_ok(fv, b) || !write_ok(fv, a) || !kind_ok(fv, a, K(LIST)) ||
        !is_type(fv, b, rtype(fv, a)->arg))
      return FALSE;
    break;
  case REG_OP_LCAT:
    if (!read_ok(fv, b) || !read_ok(fv, c) || !write_ok(fv, a) || !kind_ok(fv, a, K(LIST)) ||
        !same(fv, a, b) || !same(fv, a, c))
      return FALSE;
    assign(fv, a);
    break;
  case REG_OP_RECORD: {
    if (!write_ok(fv, a) || !kind_ok(fv, a, K(RECORD)))
      return FALSE;
    uint32_t rec = rtype(fv, a)->arg;
    const RegRecord *r = &p->records[rec];
    CHECK(r->nfields == 0 || ((uint32_t) b + r->nfields <= fv->f->nregs),
          "record fields beyond the registers");
    for (uint32_t i = 0; i < r->nfields; i++) {
      const RegField *fd = &p->fields[r->first_field + i];
      if (!(fd->flags & REG_FIELD_OPTIONAL) && !read_ok(fv, b + i))
        return FALSE;
      /* an absent optional field's register need not be written; the presence mask is
       * computed, so the VM clears this function's registers on entry (RegProgram.clear_func):
       * a field said present then holds its type's zero, not another frame's value */
      if ((fd->flags & REG_FIELD_OPTIONAL) && !is_set(fv->cur, b + i))
        fv->unset_fields = true;
      if (!is_type(fv, b + i, fd->type))
        return FALSE;
    }
    if (c != REG_NO_MASK) {
      CHECK(r->noptional > 0, "presence mask for a record without optional fields");
      if (!read_ok(fv, c) || !is_type(fv, c, REG_TYPE_INT))
        return FALSE;
    }
    assign(fv, a);
    break;
  }
  case REG_OP_CALL: {
    CHECK(b < fi, "call of function %u from %u (only earlier functions may be called)", b, fi);
    const RegFunction *callee = &p->funcs[b];
    CHECK(callee->nparams == 0 || (uint32_t) c + callee->nparams <= fv->f->nregs,
          "arguments beyond the registers");
    for (uint32_t i = 0; i < callee->nparams; i++) {
      if (!read_ok(fv, c + i) ||
          !is_type(fv, c + i, p->reg_types[callee->first_reg_type + i]))
        return FALSE;
    }
    if (!write_ok(fv, a) || !is_type(fv, a, callee->ret_type))
      return FALSE;
    assign(fv, a);
    break;
  }
  case REG_OP_BUILTIN: {
    static const struct {
      uint32_t n, ret, arg[3];
    } sig[REG_BI__COUNT] = {
#define REG_BI_SIG(name, n, r, t1, t2, t3, meaning) { n, r, { t1, t2, t3 } },
      REG_BUILTINS(REG_BI_SIG)
#undef REG_BI_SIG
    };
    CHECK(b < REG_BI__COUNT, "builtin %u unknown", b);
    CHECK((uint32_t) c + sig[b].n <= fv->f->nregs, "arguments beyond the registers");
    for (uint32_t i = 0; i < sig[b].n; i++)
      if (!read_ok(fv, c + i) || !is_type(fv, c + i, sig[b].arg[i]))
        return FALSE;
    if (!write_ok(fv, a) || !is_type(fv, a, sig[b].ret))
      return FALSE;
    assign(fv, a);
    break;
  }
  case REG_OP_RET:
    if (!read_ok(fv, a) || !is_type(fv, a, fv->f->ret_type))
      return FALSE;
    fv->reachable = false;
    break;
  case REG_OP_FAIL:
    CHECK(a < p->nstrings, "string %u out of range", a);
    fv->reachable = false;
    break;
  default: /* (and every run form: never in a file) */
    return bad(v, "unknown opcode %u", op);
  }
  return TRUE;
}

static gboolean
verify_function(V *v, uint32_t fi)
{
  RegProgram *p = v->p;
  const RegFunction *f = &p->funcs[fi];
  FV fv = { 0 };
  fv.v = v;
  fv.f = f;
  fv.rt = p->reg_types + f->first_reg_type;
  fv.words = (f->nregs + 63) / 64 + 1;
  fv.cur = g_new0(uint64_t, fv.words);
  fv.pending = g_new0(uint64_t *, f->ninsns + 1);
  fv.reachable = true;
  for (uint32_t r = 0; r < f->nparams; r++)
    set_bit(fv.cur, r);

  gboolean ok = TRUE;
  v->func = fi;
  for (uint32_t pc = 0; ok && pc < f->ninsns; pc++) {
    v->pc = pc;
    if (fv.pending[pc]) {
      if (fv.reachable) {
        for (uint32_t i = 0; i < fv.words; i++)
          fv.cur[i] &= fv.pending[pc][i];
      } else {
        memcpy(fv.cur, fv.pending[pc], fv.words * sizeof(uint64_t));
        fv.reachable = true;
      }
      g_free(fv.pending[pc]); /* reached: jumps only go forward */
      fv.pending[pc] = NULL;
      fv.pending_bytes -= fv.words * sizeof(uint64_t);
    }
    if (fv.nloops > 0 && fv.loops[fv.nloops - 1].end <= pc) {
      ok = bad(v, "loop not closed by NEXT");
      break;
    }
    ok = verify_insn(&fv, p->code[f->first_insn + pc], fi);
  }
  if (ok && fv.nloops > 0)
    ok = bad(v, "loop not closed at the end of the function");
  if (ok) {
    unsigned last = REG_INSN_OP(p->code[f->first_insn + f->ninsns - 1]);
    if (last != REG_OP_RET && last != REG_OP_FAIL)
      ok = bad(v, "function does not end with RET or FAIL");
  }
  for (uint32_t pc = 0; pc <= f->ninsns; pc++)
    g_free(fv.pending[pc]);
  g_free(fv.pending);
  g_free(fv.cur);
  v->p->clear_func[fi] = fv.unset_fields;
  v->func = REG_NONE;
  return ok;
}

/* Frames of the deepest call chain, bottom-up: callees always have lower indices. */
static gboolean
verify_calls(V *v)
{
  RegProgram *p = v->p;
  uint32_t *words = g_new0(uint32_t, p->nfuncs + 1);
  uint32_t *depth = g_new0(uint32_t, p->nfuncs + 1);
  gboolean ok = TRUE;
  uint32_t max_words = 0, max_depth = 0;
  for (uint32_t fi = 0; fi < p->nfuncs && ok; fi++) {
    const RegFunction *f = &p->funcs[fi];
    uint32_t w = 0, d = 0;
    for (uint32_t pc = 0; pc < f->ninsns; pc++) {
      uint64_t insn = p->code[f->first_insn + pc];
      uint32_t callee = REG_NONE;
      if (REG_INSN_OP(insn) == REG_OP_CALL)
        callee = REG_INSN_B(insn);
      else if (REG_INSN_OP(insn) == REG_OP_GLOBAL)
        callee = p->globals[REG_INSN_B(insn)].func;
      if (callee != REG_NONE) {
        if (words[callee] > w)
          w = words[callee];
        if (depth[callee] > d)
          d = depth[callee];
      }
    }
    words[fi] = w + f->nregs;
    depth[fi] = d + 1;
    if (words[fi] > VERIFY_MAX_FRAME_WORDS || depth[fi] > VERIFY_MAX_DEPTH) {
      v->func = fi;
      ok = bad(v, "call chains too deep (%u frames, %u registers)", depth[fi], words[fi]);
      v->func = REG_NONE;
    }
    if (words[fi] > max_words)
      max_words = words[fi];
    if (depth[fi] > max_depth)
      max_depth = depth[fi];
  }
  p->frame_words = max_words;
  p->max_depth = max_depth;
  g_free(words);
  g_free(depth);
  return ok;
}

/* Per run form, the instruction it does the work of first. */
static const uint8_t run_base_of[REG_OP__RUN_END] = {
#define REG_RUN_BASE_OF(name, base, meaning) [REG_OP_##name] = REG_OP_##base,
  REG_RUN_OPCODES(REG_RUN_BASE_OF)
#undef REG_RUN_BASE_OF
#define REG_RUN_PAIR_BASE_OF(x, y) [REG_OP_##x##_##y] = REG_OP_##x,
  REG_RUN_PAIRS(REG_RUN_PAIR_BASE_OF)
  REG_RUN_JUMP_PAIRS(REG_RUN_PAIR_BASE_OF)
#undef REG_RUN_PAIR_BASE_OF
#define REG_RUN_TRIPLE_BASE_OF(x, y, z) [REG_OP_##x##_##y##_##z] = REG_OP_##x,
  REG_RUN_TRIPLES(REG_RUN_TRIPLE_BASE_OF)
#undef REG_RUN_TRIPLE_BASE_OF
#define REG_RUN_QUAD_BASE_OF(x, y, z, u) [REG_OP_##x##_##y##_##z##_##u] = REG_OP_##x,
  REG_RUN_QUADS(REG_RUN_QUAD_BASE_OF)
#undef REG_RUN_QUAD_BASE_OF
#define REG_RUN_NEXT_BASE_OF(y) [REG_OP_NEXTP_##y] = REG_OP_NEXT,
  REG_RUN_NEXTS(REG_RUN_NEXT_BASE_OF)
#undef REG_RUN_NEXT_BASE_OF
  [REG_OP_GETF_JLT_JLE_NEXT] = REG_OP_GETF,
  [REG_OP_GETF_JLT_JLE_JLT_NEXT] = REG_OP_GETF,
};

/* The pair forms (opcodes-private.h), by first opcode and by the second's base opcode
 * (pairs: their VM handler goes to the second's base handler) or run form (jump pairs);
 * 0 for none. */
static const uint8_t run_pair_of[REG_OP__COUNT][REG_OP__RUN_END] = {
#define REG_RUN_PAIR_OF(x, y) [REG_OP_##x][REG_OP_##y] = REG_OP_##x##_##y,
  REG_RUN_PAIRS(REG_RUN_PAIR_OF)
#undef REG_RUN_PAIR_OF
};
static const uint8_t run_jump_pair_of[REG_OP__COUNT][REG_OP__RUN_END] = {
#define REG_RUN_JUMP_PAIR_OF(x, y) [REG_OP_##x][REG_OP_##y] = REG_OP_##x##_##y,
  REG_RUN_JUMP_PAIRS(REG_RUN_JUMP_PAIR_OF)
#undef REG_RUN_JUMP_PAIR_OF
};
G_STATIC_ASSERT(REG_OP__RUN_END <= 256);

/* The run form of @first (a verified opcode) followed by an instruction whose run form is
 * @second, or 0. */
static unsigned
run_pair(unsigned first, unsigned second)
{
  unsigned base = second < REG_OP__COUNT ? second : run_base_of[second];
  return run_jump_pair_of[first][second] ? run_jump_pair_of[first][second]
                                         : run_pair_of[first][base];
}

/* The code untraced runs execute: the verified code, with run forms (opcodes-private.h)
 * where they apply. Each does what its base instruction does, so nothing verified changes. */
static void
build_run_code(RegProgram *p)
{
  p->run_code = g_memdup2(p->code, (gsize) (p->ninsns ? p->ninsns : 1) * sizeof(uint64_t));
  for (uint32_t fi = 0; fi < p->nfuncs; fi++) {
    const RegFunction *f = &p->funcs[fi];
    uint64_t *code = p->run_code + f->first_insn;
    const uint64_t *vc = p->code + f->first_insn; /* the verified code: base opcodes */
    const uint32_t *rt = p->reg_types + f->first_reg_type;
    for (uint32_t pc = 0; pc < f->ninsns; pc++) {
      uint64_t w = code[pc];
      unsigned op = REG_INSN_OP(w);
      if (op == REG_OP_LOOP || op == REG_OP_NEXT) {
        /* a loop over records or texts reads what its elements point to: ask for them
         * ahead, so that the cache misses of a long list overlap */
        unsigned k = p->types[rt[REG_INSN_A(w)]].kind;
        if (k == REG_TK_RECORD || k == REG_TK_TEXT)
          code[pc] = REG_INSN_WITH_OP(w, op == REG_OP_LOOP ? REG_OP_LOOPP : REG_OP_NEXTP);
      }
    }
    /* runs of constants: the first LOADK loads them all (the others keep their words) */
    for (uint32_t pc = 0; REG_VM_THREADED && pc + 1 < f->ninsns; pc++)
      if (REG_INSN_OP(code[pc]) == REG_OP_LOADK && REG_INSN_OP(code[pc + 1]) == REG_OP_LOADK &&
          (pc == 0 || REG_INSN_OP(vc[pc - 1]) != REG_OP_LOADK))
        code[pc] = REG_INSN_WITH_OP(code[pc], REG_OP_LOADKS);
    /* pairs, from the end, so that in GETF GETF JLT the second GETF pairs with the jump
     * and JFF GETF JLT becomes JFF_GETF_JLT, GETF_JLT, JLT; a pair's second instruction
     * keeps its own form (and may be jumped to) */
    for (uint32_t pc = f->ninsns - 1; REG_VM_THREADED && pc-- > 0;) {
      unsigned first = REG_INSN_OP(code[pc]);
      unsigned pair = first < REG_OP__COUNT ? run_pair(first, REG_INSN_OP(code[pc + 1])) : 0;
      /* a quad instead, so that the instruction before it may pair with it */
#define REG_RUN_QUAD_SET(x, y, z, u)                                                       \
  if (pc + 3 < f->ninsns && REG_INSN_OP(vc[pc]) == REG_OP_##x &&                          \
      REG_INSN_OP(vc[pc + 1]) == REG_OP_##y && REG_INSN_OP(vc[pc + 2]) == REG_OP_##z &&    \
      REG_INSN_OP(vc[pc + 3]) == REG_OP_##u)                                               \
    pair = REG_OP_##x##_##y##_##z##_##u;
      REG_RUN_QUADS(REG_RUN_QUAD_SET)
#undef REG_RUN_QUAD_SET
      if (pair)
        code[pc] = REG_INSN_WITH_OP(code[pc], pair);
    }
    /* triples over pairs: their first instruction, by the verified opcodes */
    for (uint32_t pc = 0; REG_VM_THREADED && pc + 2 < f->ninsns; pc++) {
#define REG_RUN_TRIPLE_SET(x, y, z)                                                        \
  if (REG_INSN_OP(vc[pc]) == REG_OP_##x && REG_INSN_OP(vc[pc + 1]) == REG_OP_##y &&         \
      REG_INSN_OP(vc[pc + 2]) == REG_OP_##z)                                                \
    code[pc] = REG_INSN_WITH_OP(code[pc], REG_OP_##x##_##y##_##z);
      REG_RUN_TRIPLES(REG_RUN_TRIPLE_SET)
#undef REG_RUN_TRIPLE_SET
    }
    /* loop edges: a loop whose body starts with the triple, both its jumps (and a JLT
     * after them) to the loop's NEXTP; else a NEXTP by the run form its body starts with */
    for (uint32_t pc = 0; REG_VM_THREADED && pc < f->ninsns; pc++) {
      if (REG_INSN_OP(code[pc]) != REG_OP_NEXTP)
        continue;
      uint32_t start = REG_INSN_C(code[pc]);
      if (REG_INSN_OP(code[start]) == REG_OP_GETF_JLT_JLE && REG_INSN_C(code[start + 1]) == pc &&
          REG_INSN_C(code[start + 2]) == pc) {
        /* (both jumps go forward to pc, so start + 3 <= pc) */
        bool third = REG_INSN_OP(vc[start + 3]) == REG_OP_JLT && REG_INSN_C(code[start + 3]) == pc;
        code[start] = REG_INSN_WITH_OP(code[start], third ? REG_OP_GETF_JLT_JLE_JLT_NEXT
                                                          : REG_OP_GETF_JLT_JLE_NEXT);
        code[pc] = REG_INSN_WITH_OP(code[pc], third ? REG_OP_NEXTP_GETF_JLT_JLE_JLT_NEXT
                                                    : REG_OP_NEXTP_GETF_JLT_JLE_NEXT);
        continue;
      }
      unsigned body = REG_INSN_OP(code[start]);
#define REG_RUN_NEXT_SET(y)                                                                \
  if (body == REG_OP_##y)                                                                  \
    code[pc] = REG_INSN_WITH_OP(code[pc], REG_OP_NEXTP_##y);
      REG_RUN_NEXTS(REG_RUN_NEXT_SET)
#undef REG_RUN_NEXT_SET
    }
  }
}

static void
build_derived(RegProgram *p)
{
  p->empty_text = p->empty_text_storage = g_malloc0(sizeof(RegText) + 1);
  for (uint32_t t = 0; t < p->ntypes; t++)
    if (p->types[t].kind == REG_TK_RECORD && p->types[t].arg == p->input_record) {
      p->input_type = t;
      break;
    }
  p->enum_lists = g_new0(RegList *, p->nenums ? p->nenums : 1);
  for (uint32_t i = 0; i < p->nenums; i++) {
    uint32_t n = p->enums[i].nmembers;
    RegList *l = g_malloc0(sizeof(RegList) + n * sizeof(RegValue));
    l->len = l->cap = n;
    for (uint32_t k = 0; k < n; k++)
      l->v[k].i = k;
    p->enum_lists[i] = l;
  }
  RegBuf jb;
  reg_buf_init(&jb);
  p->wfields = g_new0(RegWriteField, p->nfields + 1);
  for (uint32_t i = 0; i < p->nfields; i++) {
    const RegField *f = &p->fields[i];
    const RegText *name = p->strings[f->name];
    const RegType *t = &p->types[f->type];
    uint32_t key = (uint32_t) jb.len;
    reg_buf_addc(&jb, ',');
    reg_buf_json_string(&jb, name->s, name->len);
    reg_buf_addc(&jb, ':');
    p->wfields[i] = (RegWriteField){ key, (uint32_t) jb.len - key, f->type, t->arg,
                                     (uint8_t) t->kind, (f->flags & REG_FIELD_OPTIONAL) != 0 };
  }
  p->member_json = g_new(uint32_t, p->nenum_members + 1);
  for (uint32_t i = 0; i < p->nenum_members; i++) {
    const RegText *name = p->strings[p->enum_members[i]];
    p->member_json[i] = (uint32_t) jb.len;
    reg_buf_json_string(&jb, name->s, name->len);
  }
  p->member_json[p->nenum_members] = (uint32_t) jb.len;
  /* room to copy any entry as 16 bytes (reg_buf_add16) */
  memset(reg_buf_reserve(&jb, REG_BUF_ADD16), 0, REG_BUF_ADD16);
  reg_buf_commit(&jb, REG_BUF_ADD16);
  p->json_blob = jb.data;
  p->cond_at = g_new(int32_t, p->ninsns ? p->ninsns : 1);
  for (uint32_t i = 0; i < p->ninsns; i++)
    p->cond_at[i] = -1;
  for (uint32_t i = 0; i < p->nconds; i++)
    p->cond_at[p->funcs[p->conds[i].func].first_insn + p->conds[i].pc] = (int32_t) i;
  build_run_code(p);
  /* Calls worth remembering within a decision (vm.c): functions with 1 to REG_MEMO_ARGS
   * parameters that loop or call, i.e. cost more than a lookup. Rules are pure, so the
   * same function on the same values gives the same value. */
  p->memo_func = g_new0(uint8_t, p->nfuncs + 1);
  for (uint32_t fi = 0; fi < p->nfuncs; fi++) {
    const RegFunction *f = &p->funcs[fi];
    if (f->nparams == 0 || f->nparams > REG_MEMO_ARGS)
      continue;
    for (uint32_t pc = 0; pc < f->ninsns && !p->memo_func[fi]; pc++) {
      unsigned op = REG_INSN_OP(p->code[f->first_insn + pc]);
      p->memo_func[fi] = op == REG_OP_LOOP || op == REG_OP_CALL;
    }
  }
}

gboolean
reg_verify(RegProgram *p, GError **error)
{
  V v = { p, error, REG_NONE, 0 };
  if (!verify_tables(&v))
    return FALSE;
  p->clear_func = g_new0(uint8_t, p->nfuncs + 1);
  for (uint32_t fi = 0; fi < p->nfuncs; fi++)
    if (!verify_function(&v, fi))
      return FALSE;
  if (!verify_calls(&v))
    return FALSE;
  build_derived(p);
  return TRUE;
}
