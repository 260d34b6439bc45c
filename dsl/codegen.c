/* codegen.c: the code generator: one bytecode function per rule version, requirement and output. */
#include <string.h>

#include "compiler-private.h"
#include "decimal-private.h"

#define NONE REG_NONE

typedef struct {
  RegCompiler *c;
  GArray *code;   /* uint64_t */
  GArray *locs;   /* uint32_t */
  GArray *rtypes; /* uint32_t */
  GArray *bind;   /* uint32_t: binding id -> register */
  GArray *conds;  /* RegCond, func filled in at the end */
  uint32_t nparams;
  uint32_t rule;  /* rule info of the function, or NONE */
  uint32_t fresh; /* temp register written by the last instruction, or NONE */
  GArray *file_strings; /* source index -> string index (shared) */
} Fn;

typedef GArray Jumps; /* uint32_t pcs whose target is patched later */

static uint32_t gen(Fn *fn, AstNode *n);
static void gen_to(Fn *fn, AstNode *n, uint32_t want, uint32_t dst);
static void gen_branch(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps);

static bool
over_limit(Fn *fn)
{
  return fn->code->len >= 65535 || fn->rtypes->len >= 65000;
}

static uint32_t
file_string(Fn *fn, uint32_t file)
{
  while (fn->file_strings->len <= file) {
    uint32_t none = NONE;
    g_array_append_val(fn->file_strings, none);
  }
  uint32_t *s = &g_array_index(fn->file_strings, uint32_t, file);
  if (*s == NONE) {
    RegSource *src = g_ptr_array_index(fn->c->sources, file);
    *s = reg_builder_string(fn->c->b, src->path);
  }
  return *s;
}

static uint32_t
loc_of(Fn *fn, const AstNode *n)
{
  RegSource *src = g_ptr_array_index(fn->c->sources, n->file);
  uint32_t line, col;
  reg_source_position(src, n->span.start, &line, &col);
  return reg_builder_loc(fn->c->b, file_string(fn, n->file), line, col);
}

static uint32_t
emit(Fn *fn, const AstNode *at, RegOpcode op, uint32_t a, uint32_t b, uint32_t c)
{
  uint32_t pc = fn->code->len;
  if (over_limit(fn))
    return pc > 0 ? pc - 1 : 0; /* reported once by the caller of fn_end */
  uint64_t w = REG_INSN(op, a & 0xffff, b & 0xffff, c & 0xffff);
  uint32_t l = loc_of(fn, at);
  g_array_append_val(fn->code, w);
  g_array_append_val(fn->locs, l);
  fn->fresh = NONE;
  return pc;
}

static uint32_t
new_reg(Fn *fn, uint32_t type)
{
  uint32_t r = fn->rtypes->len;
  if (r >= 65000)
    return r - 1;
  g_array_append_val(fn->rtypes, type);
  return r;
}

/* Emits an instruction writing a new temporary of @type; returns it. */
static uint32_t
emit_new(Fn *fn, const AstNode *at, uint32_t type, RegOpcode op, uint32_t b, uint32_t c)
{
  uint32_t t = new_reg(fn, type);
  emit(fn, at, op, t, b, c);
  fn->fresh = t;
  return t;
}

static uint32_t
loadk(Fn *fn, const AstNode *at, uint32_t type, int64_t v)
{
  return emit_new(fn, at, type, REG_OP_LOADK, reg_builder_const(fn->c->b, v), 0);
}

static void
patch(Fn *fn, Jumps *jumps, uint32_t target)
{
  for (guint i = 0; i < jumps->len; i++) {
    uint32_t pc = g_array_index(jumps, uint32_t, i);
    uint64_t *w = &g_array_index(fn->code, uint64_t, pc);
    unsigned op = REG_INSN_OP(*w);
    if (op == REG_OP_JMP)
      *w = REG_INSN(op, target, 0, 0);
    else /* JF, JT */
      *w = REG_INSN(op, REG_INSN_A(*w), target, 0);
  }
  g_array_set_size(jumps, 0);
}

static Jumps *
jumps_new(void)
{
  return g_array_new(FALSE, FALSE, sizeof(uint32_t));
}

static void
add_jump(Jumps *j, uint32_t pc)
{
  g_array_append_val(j, pc);
}

static uint32_t
here(Fn *fn)
{
  return fn->code->len;
}

static bool
writes_a_only(unsigned op)
{
  switch (op) {
  case REG_OP_MOVE:
  case REG_OP_LOADK:
  case REG_OP_LOADS:
  case REG_OP_LOADEMPTY:
  case REG_OP_LOADINPUT:
  case REG_OP_LOADDATE:
  case REG_OP_GLOBAL:
  case REG_OP_GETF:
  case REG_OP_NOT:
  case REG_OP_EQ:
  case REG_OP_NE:
  case REG_OP_LT:
  case REG_OP_LE:
  case REG_OP_TEQ:
  case REG_OP_TNE:
  case REG_OP_TLT:
  case REG_OP_TLE:
  case REG_OP_ADD:
  case REG_OP_SUB:
  case REG_OP_MULI:
  case REG_OP_MULD:
  case REG_OP_DIVD:
  case REG_OP_NEG:
  case REG_OP_I2D:
  case REG_OP_MIN:
  case REG_OP_MAX:
  case REG_OP_DADD:
  case REG_OP_DSUB:
  case REG_OP_DDIFF:
  case REG_OP_DUR:
  case REG_OP_DURMUL:
  case REG_OP_DURADD:
  case REG_OP_INSET:
  case REG_OP_TIN:
  case REG_OP_VIN:
  case REG_OP_LEN:
  case REG_OP_LNEW:
  case REG_OP_LCAT:
  case REG_OP_ENUMLIST:
  case REG_OP_RECORD:
  case REG_OP_CALL:
  case REG_OP_BUILTIN:
    return true;
  default:
    return false;
  }
}

/* The value of @n converted to @want (an int where a decimal is wanted). */
static uint32_t
gen_want(Fn *fn, AstNode *n, uint32_t want)
{
  if (want == REG_TYPE_DEC && n->type == REG_TYPE_INT) {
    if (n->kind == AST_INT)
      return loadk(fn, n, REG_TYPE_DEC, n->num * REG_DEC_SCALE);
    uint32_t r = gen(fn, n);
    return emit_new(fn, n, REG_TYPE_DEC, REG_OP_I2D, r, 0);
  }
  return gen(fn, n);
}

static void
gen_to(Fn *fn, AstNode *n, uint32_t want, uint32_t dst)
{
  uint32_t r = gen_want(fn, n, want);
  if (r == dst)
    return;
  if (fn->fresh == r && fn->code->len > 0) {
    uint64_t *w = &g_array_index(fn->code, uint64_t, fn->code->len - 1);
    if (writes_a_only(REG_INSN_OP(*w)) && REG_INSN_A(*w) == r) {
      *w = REG_INSN(REG_INSN_OP(*w), dst, REG_INSN_B(*w), REG_INSN_C(*w));
      fn->fresh = NONE;
      return;
    }
  }
  emit(fn, n, REG_OP_MOVE, dst, r, 0);
}

/* The source text of a node, whitespace collapsed, for condition labels. */
static char *
source_text(Fn *fn, const AstNode *n)
{
  RegSource *src = g_ptr_array_index(fn->c->sources, n->file);
  GString *s = g_string_new(NULL);
  bool space = false;
  for (uint32_t i = n->span.start; i < n->span.end && i < src->len && s->len < 200; i++) {
    char ch = src->text[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = true;
      continue;
    }
    if (space && s->len)
      g_string_append_c(s, ' ');
    space = false;
    g_string_append_c(s, ch);
  }
  if (!g_utf8_validate(s->str, (gssize) s->len, NULL)) {
    const char *end;
    g_utf8_validate(s->str, (gssize) s->len, &end);
    g_string_truncate(s, (gsize) (end - s->str));
  }
  return g_string_free(s, FALSE);
}

/* A leaf condition: its value in a register whose instruction is a condition site. */
static uint32_t
gen_leaf(Fn *fn, AstNode *n)
{
  uint32_t r = gen(fn, n);
  uint32_t pc;
  bool is_site = false;
  if (fn->fresh == r && fn->code->len > 0) {
    unsigned op = REG_INSN_OP(g_array_index(fn->code, uint64_t, fn->code->len - 1));
    is_site = op != REG_OP_CALL && op != REG_OP_GLOBAL;
  }
  if (is_site) {
    pc = fn->code->len - 1;
  } else {
    uint32_t t = new_reg(fn, REG_TYPE_BOOL);
    pc = emit(fn, n, REG_OP_MOVE, t, r, 0);
    r = t;
  }
  char *label = source_text(fn, n);
  RegCondCmp cmp = REG_CMP_NONE;
  if (n->kind == AST_BINARY && is_site) {
    switch (n->op) {
    case OP_EQ:
      cmp = REG_CMP_EQ;
      break;
    case OP_NE:
      cmp = REG_CMP_NE;
      break;
    case OP_LT:
      cmp = REG_CMP_LT;
      break;
    case OP_LE:
      cmp = REG_CMP_LE;
      break;
    case OP_GT:
      cmp = REG_CMP_GT;
      break;
    case OP_GE:
      cmp = REG_CMP_GE;
      break;
    default:
      break;
    }
  }
  RegCond cond = { 0, pc, reg_builder_string(fn->c->b, label), fn->rule, cmp };
  g_free(label);
  g_array_append_val(fn->conds, cond);
  fn->fresh = NONE;
  return r;
}

static void
gen_branch(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps)
{
  if (n->kind == AST_BINARY && (n->op == OP_AND || n->op == OP_OR)) {
    bool is_and = n->op == OP_AND;
    /* 'en' jumps out on the first false; 'of' on the first true */
    if (jump_when != is_and) {
      gen_branch(fn, n->kids[0], jump_when, jumps);
      gen_branch(fn, n->kids[1], jump_when, jumps);
    } else {
      Jumps *skip = jumps_new();
      gen_branch(fn, n->kids[0], !jump_when, skip);
      gen_branch(fn, n->kids[1], jump_when, jumps);
      patch(fn, skip, here(fn));
      g_array_unref(skip);
    }
    return;
  }
  if (n->kind == AST_UNARY && n->op == OP_NOT) {
    gen_branch(fn, n->kids[0], !jump_when, jumps);
    return;
  }
  uint32_t r = gen_leaf(fn, n);
  add_jump(jumps, emit(fn, n, jump_when ? REG_OP_JT : REG_OP_JF, r, 0, 0));
}

/* A boolean computed through branches, so that its leaves are condition sites. */
static uint32_t
gen_bool_value(Fn *fn, AstNode *n)
{
  uint32_t t = new_reg(fn, REG_TYPE_BOOL);
  Jumps *f = jumps_new(), *end = jumps_new();
  gen_branch(fn, n, false, f);
  emit(fn, n, REG_OP_LOADK, t, reg_builder_const(fn->c->b, 1), 0);
  add_jump(end, emit(fn, n, REG_OP_JMP, 0, 0, 0));
  patch(fn, f, here(fn));
  emit(fn, n, REG_OP_LOADK, t, reg_builder_const(fn->c->b, 0), 0);
  patch(fn, end, here(fn));
  g_array_unref(f);
  g_array_unref(end);
  return t;
}

static RecordSym *
record_of_type(RegCompiler *c, uint32_t t)
{
  for (guint i = 0; i < c->records->len; i++) {
    RecordSym *r = g_ptr_array_index(c->records, i);
    if (r->type == t)
      return r;
  }
  return NULL;
}

/* Builds a record from field expressions: values[i] / conds[i] per field (NULL if absent). */
static uint32_t
gen_record(Fn *fn, const AstNode *at, RecordSym *r, AstNode **values, AstNode **conds)
{
  uint32_t nf = r->fields->len;
  uint32_t base = fn->rtypes->len;
  for (uint32_t i = 0; i < nf; i++)
    new_reg(fn, ((FieldSym *) g_ptr_array_index(r->fields, i))->type);
  uint32_t mask = REG_NO_MASK;
  uint32_t bit = 0;
  bool has_optional = false;
  for (uint32_t i = 0; i < nf; i++)
    if (((FieldSym *) g_ptr_array_index(r->fields, i))->flags & REG_FIELD_OPTIONAL)
      has_optional = true;
  if (has_optional)
    mask = loadk(fn, at, REG_TYPE_INT, 0);
  for (uint32_t i = 0; i < nf; i++) {
    FieldSym *f = g_ptr_array_index(r->fields, i);
    bool optional = (f->flags & REG_FIELD_OPTIONAL) != 0;
    if (values[i]) {
      Jumps *skip = jumps_new();
      if (conds[i])
        gen_branch(fn, conds[i], false, skip);
      gen_to(fn, values[i], f->type, base + i);
      if (optional) {
        uint32_t k = loadk(fn, values[i], REG_TYPE_INT, (int64_t) 1 << bit);
        emit(fn, values[i], REG_OP_ADD, mask, mask, k);
      }
      patch(fn, skip, here(fn));
      g_array_unref(skip);
    }
    if (optional)
      bit++;
  }
  return emit_new(fn, at, r->type, REG_OP_RECORD, base, mask);
}

static uint32_t
gen_reclit(Fn *fn, AstNode *n)
{
  RecordSym *r = record_of_type(fn->c, n->type);
  uint32_t nf = r->fields->len;
  AstNode **values = g_new0(AstNode *, nf + 1), **conds = g_new0(AstNode *, nf + 1);
  for (uint32_t i = 0; i < n->nkids; i++) {
    values[n->kids[i]->sym] = n->kids[i]->kids[0];
    conds[n->kids[i]->sym] = n->kids[i]->kids[1];
  }
  uint32_t t = gen_record(fn, n, r, values, conds);
  g_free(values);
  g_free(conds);
  return t;
}

/* Calls version @vi of a rule group into @dst. */
static void
call_version(Fn *fn, const AstNode *at, RuleGroup *g, guint vi, uint32_t args, uint32_t dst)
{
  if (g->nparams == 0)
    emit(fn, at, REG_OP_GLOBAL, dst, g->globals[vi], 0);
  else
    emit(fn, at, REG_OP_CALL, dst, g->funcs[vi], args);
}

static bool
version_from(const AstNode *d, int64_t *from)
{
  AstNode *meta = d->kids[3];
  for (uint32_t i = 0; meta && i < meta->nkids; i++)
    if (meta->kids[i]->op == AST_META_FROM) {
      *from = meta->kids[i]->num;
      return true;
    }
  return false;
}

/* Picks the version in effect on date register @d, latest first. */
static void
gen_dispatch(Fn *fn, const AstNode *at, RuleGroup *g, uint32_t args, uint32_t d, uint32_t dst)
{
  Jumps *end = jumps_new();
  bool base = false;
  for (guint vi = g->versions->len; vi-- > 0;) {
    int64_t from;
    if (!version_from(g_ptr_array_index(g->versions, vi), &from)) {
      call_version(fn, at, g, vi, args, dst);
      base = true;
      break;
    }
    uint32_t k = loadk(fn, at, REG_TYPE_DATE, from);
    uint32_t t = emit_new(fn, at, REG_TYPE_BOOL, REG_OP_LE, k, d);
    Jumps *next = jumps_new();
    add_jump(next, emit(fn, at, REG_OP_JF, t, 0, 0));
    call_version(fn, at, g, vi, args, dst);
    add_jump(end, emit(fn, at, REG_OP_JMP, 0, 0, 0));
    patch(fn, next, here(fn));
    g_array_unref(next);
  }
  if (!base) {
    char *msg = g_strdup_printf("'%s' is not in effect on that date", g->name);
    emit(fn, at, REG_OP_FAIL, reg_builder_string(fn->c->b, msg), 0, 0);
    g_free(msg);
  }
  patch(fn, end, here(fn));
  g_array_unref(end);
}

static uint32_t
rule_ref(Fn *fn, AstNode *at, RuleGroup *g, AstNode *call, AstNode *date)
{
  uint32_t args = 0;
  if (g->nparams > 0) {
    args = fn->rtypes->len;
    for (uint32_t i = 0; i < g->nparams; i++)
      new_reg(fn, g->param_types[i]);
    for (uint32_t i = 0; i < g->nparams; i++)
      gen_to(fn, call->kids[i], g->param_types[i], args + i);
  }
  if (!date && g->versions->len == 1) {
    uint32_t t = new_reg(fn, g->ret_type);
    call_version(fn, at, g, 0, args, t);
    fn->fresh = t;
    return t;
  }
  if (!date && g->nparams == 0)
    return emit_new(fn, at, g->ret_type, REG_OP_GLOBAL, g->dispatch_global, 0);
  uint32_t d = date ? gen(fn, date) : emit_new(fn, at, REG_TYPE_DATE, REG_OP_LOADDATE, 0, 0);
  uint32_t t = new_reg(fn, g->ret_type);
  gen_dispatch(fn, at, g, args, d, t);
  return t;
}

static uint32_t
gen_compare(Fn *fn, AstNode *n)
{
  uint32_t T = n->sym;
  AstNode *l = n->kids[0], *r = n->kids[1];
  bool swap = n->op == OP_GT || n->op == OP_GE;
  uint32_t a = gen_want(fn, l, T), b = gen_want(fn, r, T);
  if (swap) {
    uint32_t x = a;
    a = b;
    b = x;
  }
  bool text = T == REG_TYPE_TEXT;
  RegOpcode op;
  switch (n->op) {
  case OP_EQ:
    op = text ? REG_OP_TEQ : REG_OP_EQ;
    break;
  case OP_NE:
    op = text ? REG_OP_TNE : REG_OP_NE;
    break;
  case OP_LT:
  case OP_GT:
    op = text ? REG_OP_TLT : REG_OP_LT;
    break;
  default:
    op = text ? REG_OP_TLE : REG_OP_LE;
    break;
  }
  return emit_new(fn, n, REG_TYPE_BOOL, op, a, b);
}

static uint32_t
gen_in(Fn *fn, AstNode *n)
{
  AstNode *l = n->kids[0], *r = n->kids[1];
  uint32_t t;
  bool members = r->kind == AST_LIST && r->nkids > 0 &&
                 comp_kind(fn->c, l->type) == REG_TK_ENUM;
  for (uint32_t i = 0; members && i < r->nkids; i++)
    members = r->kids[i]->sym_kind == SYM_MEMBER;
  if (members) {
    uint64_t mask = 0;
    for (uint32_t i = 0; i < r->nkids; i++)
      mask |= (uint64_t) 1 << r->kids[i]->sym2;
    uint32_t v = gen(fn, l);
    t = emit_new(fn, n, REG_TYPE_BOOL, REG_OP_INSET, v,
                 reg_builder_const(fn->c->b, (int64_t) mask));
  } else {
    uint32_t v = gen(fn, l);
    uint32_t list = gen(fn, r);
    t = emit_new(fn, n, REG_TYPE_BOOL, l->type == REG_TYPE_TEXT ? REG_OP_TIN : REG_OP_VIN, v,
                 list);
  }
  if (n->op == OP_NOTIN)
    t = emit_new(fn, n, REG_TYPE_BOOL, REG_OP_NOT, t, 0);
  return t;
}

static uint32_t
gen_arith(Fn *fn, AstNode *n)
{
  AstNode *l = n->kids[0], *r = n->kids[1];
  RegCompiler *c = fn->c;
  uint32_t T = n->type;
  RegTypeKind lk = comp_kind(c, l->type), rk = comp_kind(c, r->type);
  switch (n->op) {
  case OP_ADD:
  case OP_SUB:
    if (T == REG_TYPE_INT || T == REG_TYPE_DEC) {
      if (n->op == OP_SUB && lk == REG_TK_DATE) { /* date - date: days */
        uint32_t a = gen(fn, l), b = gen(fn, r);
        return emit_new(fn, n, T, REG_OP_DDIFF, a, b);
      }
      uint32_t a = gen_want(fn, l, T), b = gen_want(fn, r, T);
      return emit_new(fn, n, T, n->op == OP_ADD ? REG_OP_ADD : REG_OP_SUB, a, b);
    }
    if (lk == REG_TK_DATE) {
      uint32_t a = gen(fn, l), b = gen(fn, r);
      return emit_new(fn, n, T, n->op == OP_ADD ? REG_OP_DADD : REG_OP_DSUB, a, b);
    }
    if (lk == REG_TK_DUR) {
      uint32_t a = gen(fn, l), b = gen(fn, r);
      return emit_new(fn, n, T, REG_OP_DURADD, a, b);
    }
    {
      uint32_t a = gen(fn, l), b = gen(fn, r);
      return emit_new(fn, n, T, REG_OP_LCAT, a, b);
    }
  case OP_MUL:
    if (T == REG_TYPE_DUR) {
      AstNode *dur = lk == REG_TK_DUR ? l : r, *k = lk == REG_TK_DUR ? r : l;
      uint32_t a = gen(fn, dur), b = gen(fn, k);
      return emit_new(fn, n, T, REG_OP_DURMUL, a, b);
    } else {
      uint32_t a = gen_want(fn, l, T), b = gen_want(fn, r, T);
      return emit_new(fn, n, T, T == REG_TYPE_INT ? REG_OP_MULI : REG_OP_MULD, a, b);
    }
  default: { /* OP_DIV */
    (void) rk;
    uint32_t a = gen_want(fn, l, REG_TYPE_DEC), b = gen_want(fn, r, REG_TYPE_DEC);
    return emit_new(fn, n, REG_TYPE_DEC, REG_OP_DIVD, a, b);
  }
  }
}

static void
bind(Fn *fn, uint32_t id, uint32_t reg)
{
  while (fn->bind->len <= id) {
    uint32_t none = NONE;
    g_array_append_val(fn->bind, none);
  }
  g_array_index(fn->bind, uint32_t, id) = reg;
}

static uint32_t
gen_compr(Fn *fn, AstNode *n)
{
  AstNode *body = n->kids[0], *src = n->kids[1], *filter = n->kids[2], *dflt = n->kids[3];
  RegCompiler *c = fn->c;
  uint32_t T = n->type;
  uint32_t list = gen(fn, src);
  uint32_t elem_type = comp_arg(c, src->type);
  uint32_t e = new_reg(fn, elem_type);
  new_reg(fn, REG_TYPE_INT); /* e + 1: the loop's index */
  bind(fn, n->sym, e);

  uint32_t acc = NONE, have = NONE, one = NONE;
  switch ((AstCompr) n->op) {
  case AST_COMPR_LIST: {
    uint32_t cap = emit_new(fn, n, REG_TYPE_INT, REG_OP_LEN, list, 0);
    acc = emit_new(fn, n, T, REG_OP_LNEW, cap, 0);
    break;
  }
  case AST_COMPR_SUM:
    acc = loadk(fn, n, T, 0);
    break;
  case AST_COMPR_COUNT:
    acc = loadk(fn, n, REG_TYPE_INT, 0);
    one = loadk(fn, n, REG_TYPE_INT, 1);
    break;
  case AST_COMPR_MIN:
  case AST_COMPR_MAX:
    acc = loadk(fn, n, T, 0);
    have = loadk(fn, n, REG_TYPE_BOOL, 0);
    break;
  case AST_COMPR_ALL:
    acc = loadk(fn, n, REG_TYPE_BOOL, 1);
    break;
  case AST_COMPR_ANY:
    acc = loadk(fn, n, REG_TYPE_BOOL, 0);
    break;
  case AST_COMPR_FIRST:
    acc = new_reg(fn, T);
    break;
  }

  uint32_t loop = emit(fn, n, REG_OP_LOOP, e, list, 0);
  Jumps *next = jumps_new(), *brk = jumps_new();
  if (filter)
    gen_branch(fn, filter, false, next);
  switch ((AstCompr) n->op) {
  case AST_COMPR_LIST: {
    uint32_t v = gen_want(fn, body, comp_arg(c, T));
    emit(fn, body, REG_OP_LPUSH, acc, v, 0);
    break;
  }
  case AST_COMPR_SUM: {
    uint32_t v = gen_want(fn, body, T);
    emit(fn, body, REG_OP_ADD, acc, acc, v);
    break;
  }
  case AST_COMPR_COUNT:
    emit(fn, n, REG_OP_ADD, acc, acc, one);
    break;
  case AST_COMPR_MIN:
  case AST_COMPR_MAX: {
    uint32_t v = gen_want(fn, body, T);
    Jumps *cmp = jumps_new();
    add_jump(cmp, emit(fn, body, REG_OP_JT, have, 0, 0));
    emit(fn, body, REG_OP_MOVE, acc, v, 0);
    emit(fn, body, REG_OP_LOADK, have, reg_builder_const(c->b, 1), 0);
    add_jump(next, emit(fn, body, REG_OP_JMP, 0, 0, 0));
    patch(fn, cmp, here(fn));
    g_array_unref(cmp);
    emit(fn, body, n->op == AST_COMPR_MIN ? REG_OP_MIN : REG_OP_MAX, acc, acc, v);
    break;
  }
  case AST_COMPR_ALL:
    gen_branch(fn, body, true, next);
    emit(fn, body, REG_OP_LOADK, acc, reg_builder_const(c->b, 0), 0);
    add_jump(brk, emit(fn, body, REG_OP_JMP, 0, 0, 0));
    break;
  case AST_COMPR_ANY:
    gen_branch(fn, body, false, next);
    emit(fn, body, REG_OP_LOADK, acc, reg_builder_const(c->b, 1), 0);
    add_jump(brk, emit(fn, body, REG_OP_JMP, 0, 0, 0));
    break;
  case AST_COMPR_FIRST:
    gen_to(fn, body, T, acc);
    add_jump(brk, emit(fn, body, REG_OP_JMP, 0, 0, 0));
    break;
  }
  patch(fn, next, here(fn));
  uint32_t next_pc = emit(fn, n, REG_OP_NEXT, e, list, loop + 1);
  uint64_t *lw = &g_array_index(fn->code, uint64_t, loop);
  *lw = REG_INSN(REG_OP_LOOP, e, list, next_pc + 1);

  if (n->op == AST_COMPR_FIRST) {
    gen_to(fn, dflt, T, acc);
    patch(fn, brk, here(fn));
  } else if (n->op == AST_COMPR_MIN || n->op == AST_COMPR_MAX) {
    Jumps *done = jumps_new();
    add_jump(done, emit(fn, n, REG_OP_JT, have, 0, 0));
    gen_to(fn, dflt, T, acc);
    patch(fn, done, here(fn));
    g_array_unref(done);
  } else {
    patch(fn, brk, here(fn));
  }
  g_array_unref(next);
  g_array_unref(brk);
  fn->fresh = NONE;
  return acc;
}

static uint32_t
gen(Fn *fn, AstNode *n)
{
  RegCompiler *c = fn->c;
  switch (n->kind) {
  case AST_INT:
    return loadk(fn, n, REG_TYPE_INT, n->num);
  case AST_DEC:
    return loadk(fn, n, REG_TYPE_DEC, n->num);
  case AST_DATE:
    return loadk(fn, n, REG_TYPE_DATE, n->num);
  case AST_BOOL:
    return loadk(fn, n, REG_TYPE_BOOL, n->num);
  case AST_TEXT:
    return emit_new(fn, n, REG_TYPE_TEXT, REG_OP_LOADS, reg_builder_string(c->b, n->str), 0);
  case AST_ASOF:
    return emit_new(fn, n, REG_TYPE_DATE, REG_OP_LOADDATE, 0, 0);
  case AST_NAME:
  case AST_FIELD:
    switch (n->sym_kind) {
    case SYM_LOCAL:
      fn->fresh = NONE;
      return g_array_index(fn->bind, uint32_t, n->sym);
    case SYM_RULE:
      return rule_ref(fn, n, g_ptr_array_index(c->rules, n->sym), NULL, NULL);
    case SYM_INPUT: {
      uint32_t in = emit_new(fn, n, c->input->type, REG_OP_LOADINPUT, 0, 0);
      return emit_new(fn, n, n->type, REG_OP_GETF, in, n->sym);
    }
    case SYM_ENUM_TYPE:
      return emit_new(fn, n, n->type, REG_OP_ENUMLIST, 0, 0);
    case SYM_MEMBER:
      return loadk(fn, n, n->type, n->sym2);
    default:
      break;
    }
    if (n->kind == AST_FIELD) {
      uint32_t b = gen(fn, n->kids[0]);
      return emit_new(fn, n, n->type, REG_OP_GETF, b, n->sym);
    }
    break;
  case AST_CALL:
    if (n->op == 1) { /* builtin */
      uint32_t args = fn->rtypes->len;
      for (uint32_t i = 0; i < n->nkids; i++)
        new_reg(fn, comp_builtin_arg_type(n->sym, i));
      for (uint32_t i = 0; i < n->nkids; i++)
        gen_to(fn, n->kids[i], g_array_index(fn->rtypes, uint32_t, args + i), args + i);
      return emit_new(fn, n, n->type, REG_OP_BUILTIN, n->sym, args);
    }
    return rule_ref(fn, n, g_ptr_array_index(c->rules, n->sym), n, NULL);
  case AST_AT: {
    AstNode *what = n->kids[0];
    return rule_ref(fn, n, g_ptr_array_index(c->rules, what->sym),
                    what->kind == AST_CALL ? what : NULL, n->kids[1]);
  }
  case AST_UNARY:
    if (n->op == OP_NOT)
      return gen_bool_value(fn, n);
    if (n->type == REG_TYPE_DUR) {
      uint32_t v = gen(fn, n->kids[0]);
      uint32_t k = loadk(fn, n, REG_TYPE_INT, -1);
      return emit_new(fn, n, REG_TYPE_DUR, REG_OP_DURMUL, v, k);
    } else {
      uint32_t v = gen(fn, n->kids[0]);
      return emit_new(fn, n, n->type, REG_OP_NEG, v, 0);
    }
  case AST_BINARY:
    switch ((AstOp) n->op) {
    case OP_AND:
    case OP_OR:
      return gen_bool_value(fn, n);
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
      return gen_compare(fn, n);
    case OP_IN:
    case OP_NOTIN:
      return gen_in(fn, n);
    default:
      return gen_arith(fn, n);
    }
  case AST_IS: {
    uint32_t v = gen(fn, n->kids[0]);
    if (n->op == AST_IS_EMPTY) {
      uint32_t len = emit_new(fn, n, REG_TYPE_INT, REG_OP_LEN, v, 0);
      uint32_t zero = loadk(fn, n, REG_TYPE_INT, 0);
      return emit_new(fn, n, REG_TYPE_BOOL, n->flag ? REG_OP_NE : REG_OP_EQ, len, zero);
    }
    uint32_t unk = loadk(fn, n, n->kids[0]->type, -1);
    return emit_new(fn, n, REG_TYPE_BOOL, n->flag ? REG_OP_NE : REG_OP_EQ, v, unk);
  }
  case AST_UNIT: {
    uint32_t v = gen(fn, n->kids[0]);
    static const uint32_t unit_code[] = { 0, 1, 2, 3 }; /* UNIT_DAY.. -> DUR's c operand */
    return emit_new(fn, n, REG_TYPE_DUR, REG_OP_DUR, v, unit_code[n->op & 3]);
  }
  case AST_IF: {
    uint32_t t = new_reg(fn, n->type);
    Jumps *els = jumps_new(), *end = jumps_new();
    gen_branch(fn, n->kids[0], false, els);
    gen_to(fn, n->kids[1], n->type, t);
    add_jump(end, emit(fn, n, REG_OP_JMP, 0, 0, 0));
    patch(fn, els, here(fn));
    gen_to(fn, n->kids[2], n->type, t);
    patch(fn, end, here(fn));
    g_array_unref(els);
    g_array_unref(end);
    fn->fresh = NONE;
    return t;
  }
  case AST_LIST: {
    if (n->nkids == 0)
      return emit_new(fn, n, n->type, REG_OP_LOADEMPTY, 0, 0);
    uint32_t et = comp_arg(c, n->type);
    uint32_t cap = loadk(fn, n, REG_TYPE_INT, n->nkids);
    uint32_t t = emit_new(fn, n, n->type, REG_OP_LNEW, cap, 0);
    for (uint32_t i = 0; i < n->nkids; i++) {
      uint32_t v = gen_want(fn, n->kids[i], et);
      emit(fn, n->kids[i], REG_OP_LPUSH, t, v, 0);
    }
    fn->fresh = NONE;
    return t;
  }
  case AST_RECLIT:
    return gen_reclit(fn, n);
  case AST_COMPR:
    return gen_compr(fn, n);
  case AST_MINMAX2: {
    uint32_t a = gen_want(fn, n->kids[0], n->type), b = gen_want(fn, n->kids[1], n->type);
    return emit_new(fn, n, n->type, n->op == '<' ? REG_OP_MIN : REG_OP_MAX, a, b);
  }
  default:
    break;
  }
  /* unreachable after a successful check */
  return loadk(fn, n, REG_TYPE_BOOL, 0);
}

/* ---- functions -------------------------------------------------------------- */

static Fn *
fn_begin(RegCompiler *c, GArray *file_strings, uint32_t rule)
{
  Fn *fn = g_new0(Fn, 1);
  fn->c = c;
  fn->code = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  fn->locs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->rtypes = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->bind = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->conds = g_array_new(FALSE, FALSE, sizeof(RegCond));
  fn->rule = rule;
  fn->fresh = NONE;
  fn->file_strings = file_strings;
  return fn;
}

/* Appends the function to the program; returns its index. */
static uint32_t
fn_end(Fn *fn, const AstNode *at, const char *name, uint32_t nparams, uint32_t ret_type)
{
  RegBuilder *b = fn->c->b;
  if (over_limit(fn))
    comp_error(fn->c, REG_E_LIMIT, at,
               "'%s' compiles to more than 65535 instructions or registers; split it into rules",
               name);
  RegFunction f = { reg_builder_string(b, name), fn->rule, nparams, fn->rtypes->len, ret_type,
                    b->reg_types->len, b->code->len, fn->code->len };
  uint32_t index = b->funcs->len;
  g_array_append_val(b->funcs, f);
  g_array_append_vals(b->reg_types, fn->rtypes->data, fn->rtypes->len);
  g_array_append_vals(b->code, fn->code->data, fn->code->len);
  g_array_append_vals(b->insn_locs, fn->locs->data, fn->locs->len);
  for (guint i = 0; i < fn->conds->len; i++) {
    RegCond cond = g_array_index(fn->conds, RegCond, i);
    cond.func = index;
    g_array_append_val(b->conds, cond);
  }
  if (fn->rule != NONE)
    g_array_index(b->rules, RegRuleInfo, fn->rule).func = index;
  g_array_unref(fn->code);
  g_array_unref(fn->locs);
  g_array_unref(fn->rtypes);
  g_array_unref(fn->bind);
  g_array_unref(fn->conds);
  g_free(fn);
  return index;
}

static uint32_t
add_rule_info(RegCompiler *c, GArray *file_strings, const char *name, RegRuleKind kind,
              const AstNode *decl, AstNode *meta)
{
  Fn tmp = { .c = c, .file_strings = file_strings };
  RegRuleInfo ri = { reg_builder_string(c->b, name), kind, 0, loc_of(&tmp, decl), NONE, 0, 0 };
  for (uint32_t i = 0; meta && i < meta->nkids; i++) {
    AstNode *m = meta->kids[i];
    if (m->op == AST_META_FROM) {
      ri.has_from = 1;
      ri.from = m->num;
    } else if (m->op == AST_META_BASIS) {
      ri.basis = reg_builder_string(c->b, m->str);
    }
  }
  uint32_t idx = c->b->rules->len;
  g_array_append_val(c->b->rules, ri);
  return idx;
}

static void
gen_group(RegCompiler *c, RuleGroup *g, GArray *file_strings)
{
  guint nv = g->versions->len;
  g->funcs = g_new0(uint32_t, nv);
  g->globals = g_new0(uint32_t, nv);
  g->rules = g_new0(uint32_t, nv);
  for (guint vi = 0; vi < nv; vi++) {
    AstNode *v = g_ptr_array_index(g->versions, vi);
    uint32_t ri = add_rule_info(c, file_strings, g->name,
                                g->is_param ? REG_RULE_PARAMETER : REG_RULE_RULE, v, v->kids[3]);
    Fn *fn = fn_begin(c, file_strings, ri);
    for (uint32_t i = 0; i < g->nparams; i++) {
      new_reg(fn, g->param_types[i]);
      bind(fn, i, i);
    }
    AstNode *body = v->kids[2];
    uint32_t r;
    if (g->ret_type == REG_TYPE_BOOL &&
        !(body->kind == AST_BINARY && (body->op == OP_AND || body->op == OP_OR)) &&
        !(body->kind == AST_UNARY && body->op == OP_NOT) && body->kind != AST_BOOL &&
        body->kind != AST_IF)
      r = gen_leaf(fn, body);
    else
      r = gen_want(fn, body, g->ret_type);
    emit(fn, body, REG_OP_RET, r, 0, 0);
    char *name = nv > 1 ? g_strdup_printf("%s#%u", g->name, vi + 1) : g_strdup(g->name);
    g->funcs[vi] = fn_end(fn, v, name, g->nparams, g->ret_type);
    g_free(name);
    g->rules[vi] = ri;
    if (g->nparams == 0) {
      RegGlobal gl = { g->funcs[vi] };
      g->globals[vi] = c->b->globals->len;
      g_array_append_val(c->b->globals, gl);
    }
  }
  if (nv > 1 && g->nparams == 0) {
    AstNode *v0 = g_ptr_array_index(g->versions, 0);
    Fn *fn = fn_begin(c, file_strings, NONE);
    uint32_t d = emit_new(fn, v0, REG_TYPE_DATE, REG_OP_LOADDATE, 0, 0);
    uint32_t t = new_reg(fn, g->ret_type);
    gen_dispatch(fn, v0, g, 0, d, t);
    emit(fn, v0, REG_OP_RET, t, 0, 0);
    char *name = g_strdup_printf("%s@peildatum", g->name);
    uint32_t fi = fn_end(fn, v0, name, 0, g->ret_type);
    g_free(name);
    RegGlobal gl = { fi };
    g->dispatch_global = c->b->globals->len;
    g_array_append_val(c->b->globals, gl);
  }
}

gboolean
reg_codegen(RegCompiler *c)
{
  guint before = c->nerrors;
  RegBuilder *b = c->b;
  GArray *file_strings = g_array_new(FALSE, FALSE, sizeof(uint32_t));

  b->name = reg_builder_string(b, c->criteria->str);
  b->version = reg_builder_string(b, c->criteria->str2);
  b->input_record = c->input->index;

  for (guint i = 0; i < c->rule_order->len; i++)
    gen_group(c, g_ptr_array_index(c->rule_order, i), file_strings);

  for (guint i = 0; i < c->checks->len; i++) {
    AstNode *chk = g_ptr_array_index(c->checks, i);
    char *name = g_strdup_printf("eis %u", i + 1);
    uint32_t ri = add_rule_info(c, file_strings, name, REG_RULE_CHECK, chk, chk->kids[1]);
    Fn *fn = fn_begin(c, file_strings, ri);
    uint32_t r = gen_bool_value(fn, chk->kids[0]);
    emit(fn, chk, REG_OP_RET, r, 0, 0);
    RegCheck rc = { fn_end(fn, chk, name, 0, REG_TYPE_BOOL), reg_builder_string(b, chk->str) };
    g_array_append_val(b->checks, rc);
    g_free(name);
  }

  for (guint i = 0; i < c->outputs->len; i++) {
    RecordSym *r = g_ptr_array_index(c->outputs, i);
    char *name = g_strdup_printf("uitvoer %s", r->name);
    uint32_t ri = add_rule_info(c, file_strings, r->name, REG_RULE_VIEW, r->decl, NULL);
    Fn *fn = fn_begin(c, file_strings, ri);
    uint32_t nf = r->fields->len;
    AstNode **values = g_new0(AstNode *, nf + 1), **conds = g_new0(AstNode *, nf + 1);
    for (uint32_t k = 0; k < nf; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      values[k] = f->decl->kids[1];
      conds[k] = f->decl->kids[2];
    }
    uint32_t t = gen_record(fn, r->decl, r, values, conds);
    emit(fn, r->decl, REG_OP_RET, t, 0, 0);
    g_free(values);
    g_free(conds);
    RegView view = { reg_builder_string(b, r->name), r->index,
                     fn_end(fn, r->decl, name, 0, r->type) };
    g_array_append_val(b->views, view);
    g_free(name);
  }
  b->default_view = 0;
  g_array_unref(file_strings);
  return c->nerrors == before;
}
