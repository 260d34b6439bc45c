/* codegen.c: the code generator: one bytecode function per rule version, requirement and output. */
#include <string.h>

#include "compiler-private.h"
#include "i18n.h"
#include "decimal-private.h"

#define NONE REG_NONE

/* A value already computed in a region that dominates the current code. */
typedef struct {
  char *key;
  uint32_t reg;
  uint32_t level;
} Cse;

typedef struct {
  RegCompiler *c;
  GArray *code;   /* uint64_t */
  GArray *locs;   /* uint32_t */
  GArray *pro;    /* uint64_t: the prologue (constants, input loads), prepended at the end */
  GArray *pro_locs;
  GArray *rtypes; /* uint32_t */
  GArray *bind;   /* uint32_t: binding id -> register (of the rule being generated or inlined) */
  GArray *conds;  /* RegCond, func filled in at the end */
  GHashTable *consts; /* "type:value" -> register + 1, loaded in the prologue */
  GHashTable *kval;   /* register -> its value, for the boolean and member constants of consts */
  GArray *cse;    /* Cse */
  uint32_t level; /* region nesting: code at a level dominates deeper code until it ends */
  uint32_t inline_depth;
  uint32_t nparams;
  uint32_t rule;  /* rule info of the function (or of the rule inlined), or NONE */
  uint32_t fresh; /* temp register written by the last instruction, or NONE */
  uint32_t cmp_lhs, cmp_rhs; /* operands (source order) of the last comparison generated */
  GArray *file_strings; /* source index -> string index (shared) */
  bool plain; /* the body for untraced runs: rules with a bron or uitleg may be inlined too */
} Fn;

#define INLINE_MAX_NODES 40
#define INLINE_MAX_DEPTH 4

typedef GArray Jumps; /* uint32_t pcs whose target is patched later */

static uint32_t gen(Fn *fn, AstNode *n);

/* The rule information of a single-version group's rule (what runtime errors name), or
 * NONE. */
static uint32_t
rule_of(const RuleGroup *g)
{
  return g->rules ? g->rules[0] : NONE;
}

/* One version in effect at every date: no choice to make at run time. */
static bool
direct_version(const RuleGroup *g)
{
  if (g->versions->len != 1)
    return false;
  const AstNode *v = g_ptr_array_index(g->versions, 0);
  const AstNode *meta = v->kids[3];
  for (uint32_t i = 0; meta && i < meta->nkids; i++)
    if (meta->kids[i]->op == AST_META_FROM)
      return false;
  return true;
}
static uint32_t rule_ref_call(Fn *fn, AstNode *at, RuleGroup *g, AstNode *call, AstNode *date);
static void gen_to(Fn *fn, AstNode *n, uint32_t want, uint32_t dst);
static void gen_branch(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps);
static void fuse_sums(Fn *fn, AstNode *n);

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

/* Appends an instruction to the prologue, which runs once at function entry. */
static void
emit_pro(Fn *fn, const AstNode *at, RegOpcode op, uint32_t a, uint32_t b, uint32_t c)
{
  uint64_t w = REG_INSN(op, a & 0xffff, b & 0xffff, c & 0xffff);
  uint32_t l = loc_of(fn, at);
  g_array_append_val(fn->pro, w);
  g_array_append_val(fn->pro_locs, l);
}

/* A register holding constant @v, loaded once in the prologue; never write to it. */
static uint32_t
loadk(Fn *fn, const AstNode *at, uint32_t type, int64_t v)
{
  char key[64];
  g_snprintf(key, sizeof key, "%u:%lld", type, (long long) v);
  gpointer found = g_hash_table_lookup(fn->consts, key);
  fn->fresh = NONE;
  if (found)
    return GPOINTER_TO_UINT(found) - 1;
  uint32_t r = new_reg(fn, type);
  emit_pro(fn, at, REG_OP_LOADK, r, reg_builder_const(fn->c->b, v), 0);
  g_hash_table_insert(fn->consts, g_strdup(key), GUINT_TO_POINTER(r + 1));
  if ((type == REG_TYPE_BOOL || comp_kind(fn->c, type) == REG_TK_ENUM) && v >= -1 && v < INT32_MAX)
    g_hash_table_insert(fn->kval, GUINT_TO_POINTER(r + 1), GINT_TO_POINTER((int) v + 2));
  return r;
}

/* A new register initialised to @v here: for accumulators that change. */
static uint32_t
loadk_mut(Fn *fn, const AstNode *at, uint32_t type, int64_t v)
{
  return emit_new(fn, at, type, REG_OP_LOADK, reg_builder_const(fn->c->b, v), 0);
}

/* ---- regions and common subexpressions ---------------------------------------- */

static void
region_push(Fn *fn)
{
  fn->level++;
}

static void
region_pop(Fn *fn)
{
  fn->level--;
  /* entries of deeper regions go; prologue entries (level 0) may come after them */
  guint kept = 0;
  for (guint i = 0; i < fn->cse->len; i++) {
    Cse *e = &g_array_index(fn->cse, Cse, i);
    if (e->level > fn->level)
      g_free(e->key);
    else
      g_array_index(fn->cse, Cse, kept++) = *e;
  }
  g_array_set_size(fn->cse, kept);
}

/* Ends every region opened since @level: their values do not reach the code that follows. */
static void
region_pop_to(Fn *fn, uint32_t level)
{
  while (fn->level > level)
    region_pop(fn);
}

static uint32_t
cse_find(Fn *fn, const char *key)
{
  if (!key)
    return NONE;
  for (guint i = fn->cse->len; i-- > 0;) {
    Cse *e = &g_array_index(fn->cse, Cse, i);
    if (strcmp(e->key, key) == 0)
      return e->reg;
  }
  return NONE;
}

static void
cse_add(Fn *fn, const char *key, uint32_t reg)
{
  if (!key)
    return;
  Cse e = { g_strdup(key), reg, fn->level };
  g_array_append_val(fn->cse, e);
  fn->fresh = NONE; /* a shared value: never retarget the instruction that wrote it */
}

/* A key naming the value of @n when it is a pure function of registers that stay
 * fixed in the current region (locals, constants, input), or NULL. */
static char *
value_key(Fn *fn, const AstNode *n)
{
  switch (n->kind) {
  case AST_INT:
  case AST_DEC:
  case AST_DATE:
  case AST_BOOL:
    return g_strdup_printf("K%d:%lld", (int) n->kind, (long long) n->num);
  case AST_ASOF:
    return g_strdup("D");
  case AST_NAME:
  case AST_FIELD:
    switch (n->sym_kind) {
    case SYM_LOCAL:
      return g_strdup_printf("L%u", g_array_index(fn->bind, uint32_t, n->sym));
    case SYM_INPUT:
      return g_strdup_printf("I%u", n->sym);
    case SYM_MEMBER:
      return g_strdup_printf("M%u:%u", n->sym, n->sym2);
    case SYM_RULE: {
      RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
      return direct_version(g) ? g_strdup_printf("R%u", n->sym) : NULL;
    }
    default:
      break;
    }
    if (n->kind == AST_FIELD) {
      char *base = value_key(fn, n->kids[0]);
      if (!base)
        return NULL;
      char *k = g_strdup_printf("%s.%u", base, n->sym);
      g_free(base);
      return k;
    }
    return NULL;
  case AST_CALL: {
    if (n->op == 1) /* builtin */
      return NULL;
    RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
    if (!direct_version(g))
      return NULL;
    GString *k = g_string_new(NULL);
    g_string_append_printf(k, "C%u(", n->sym);
    for (uint32_t i = 0; i < n->nkids; i++) {
      char *a = value_key(fn, n->kids[i]);
      if (!a) {
        g_string_free(k, TRUE);
        return NULL;
      }
      g_string_append_printf(k, "%s%s", i ? "," : "", a);
      g_free(a);
    }
    g_string_append_c(k, ')');
    return g_string_free(k, FALSE);
  }
  default:
    return NULL;
  }
}

/* Registers for values fixed for the whole evaluation, loaded in the prologue. */
static uint32_t
input_reg(Fn *fn, const AstNode *at)
{
  uint32_t r = cse_find(fn, "IN");
  if (r != NONE)
    return r;
  r = new_reg(fn, fn->c->input->type);
  emit_pro(fn, at, REG_OP_LOADINPUT, r, 0, 0);
  Cse e = { g_strdup("IN"), r, 0 };
  g_array_append_val(fn->cse, e);
  return r;
}

/* A field path rooted at the input (registration.start), loaded in the prologue; else NONE. */
static uint32_t
invariant_reg(Fn *fn, const AstNode *n)
{
  if (n->kind == AST_ASOF) {
    uint32_t r = cse_find(fn, "D");
    if (r == NONE) {
      r = new_reg(fn, REG_TYPE_DATE);
      emit_pro(fn, n, REG_OP_LOADDATE, r, 0, 0);
      Cse e = { g_strdup("D"), r, 0 };
      g_array_append_val(fn->cse, e);
    }
    return r;
  }
  if (n->kind != AST_NAME && n->kind != AST_FIELD)
    return NONE;
  if (n->sym_kind == SYM_LOCAL) {
    /* a parameter of the function itself: fixed from its entry */
    uint32_t r = g_array_index(fn->bind, uint32_t, n->sym);
    return r < fn->nparams ? r : NONE;
  }
  if (n->sym_kind != SYM_INPUT && (n->kind != AST_FIELD || n->sym_kind != SYM_NONE))
    return NONE;
  char *key = value_key(fn, n);
  if (!key)
    return NONE;
  uint32_t r = cse_find(fn, key);
  if (r == NONE) {
    uint32_t base;
    if (n->kind == AST_FIELD && n->kids[0]->sym_kind == SYM_LOCAL) {
      base = invariant_reg(fn, n->kids[0]);
      if (base == NONE) {
        g_free(key);
        return NONE;
      }
    } else if (n->sym_kind == SYM_INPUT) {
      base = input_reg(fn, n);
    } else {
      base = invariant_reg(fn, n->kids[0]);
      if (base == NONE) {
        g_free(key);
        return NONE;
      }
    }
    r = new_reg(fn, n->type);
    emit_pro(fn, n, REG_OP_GETF, r, base, n->sym);
    Cse e = { key, r, 0 };
    g_array_append_val(fn->cse, e);
    key = NULL;
  }
  g_free(key);
  fn->fresh = NONE;
  return r;
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
    else if (REG_OP_IS_CJUMP(op))
      *w = REG_INSN(op, REG_INSN_A(*w), REG_INSN_B(*w), target);
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

static void gen_if(Fn *fn, AstNode *n, uint32_t t);

static void
gen_to(Fn *fn, AstNode *n, uint32_t want, uint32_t dst)
{
  if (n->kind == AST_IF && (want == n->type || want == REG_NONE)) {
    gen_if(fn, n, dst);
    return;
  }
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

static guint
ast_size(const AstNode *n)
{
  if (!n)
    return 0;
  guint s = 1;
  for (uint32_t i = 0; i < n->nkids; i++)
    s += ast_size(n->kids[i]);
  return s;
}

static bool
has_loop(const AstNode *n)
{
  if (!n)
    return false;
  if (n->kind == AST_COMPR)
    return true;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (has_loop(n->kids[i]))
      return true;
  return false;
}

/* Small single-version rules with parameters and no loops are generated in place of
 * their call: the call would cost more than their body. */
static bool
inlinable(Fn *fn, RuleGroup *g)
{
  if (!direct_version(g) || g->nparams == 0 || fn->inline_depth >= INLINE_MAX_DEPTH)
    return false;
  AstNode *v = g_ptr_array_index(g->versions, 0);
  /* rules with a legal basis or a text for the teacher stay calls: explanations name them
   * (only traced runs explain; the body for untraced runs inlines them too) */
  for (uint32_t i = 0; !fn->plain && v->kids[3] && i < v->kids[3]->nkids; i++)
    if (v->kids[3]->kids[i]->op == AST_META_BASIS || v->kids[3]->kids[i]->op == AST_META_EXPLAIN)
      return false;
  AstNode *body = v->kids[2];
  if (ast_size(body) > INLINE_MAX_NODES)
    return false;
  /* a rule that is one sum or count (som(...), aantal(...)) is inlined too: sums over
   * the same list can then share one loop (fuse_sums) */
  if (body->kind == AST_COMPR && (body->op == AST_COMPR_SUM || body->op == AST_COMPR_COUNT)) {
    for (uint32_t i = 0; i < body->nkids; i++)
      if (has_loop(body->kids[i]))
        return false;
    return true;
  }
  return !has_loop(body);
}

/* Binds the callee's parameters to @args and makes it the current rule; returns the old state. */
typedef struct {
  GArray *bind;
  uint32_t rule;
} InlineState;

static InlineState
inline_enter(Fn *fn, RuleGroup *g, const uint32_t *args)
{
  InlineState st = { fn->bind, fn->rule };
  fn->bind = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  g_array_append_vals(fn->bind, args, g->nparams);
  fn->rule = rule_of(g);
  fn->inline_depth++;
  /* Values the body computes stay known after it in bodies for untraced runs: keyed by
   * registers nothing rewrites (its parameters' among them), and where the body branches
   * its own regions end them. Traced bodies forget them: each call's conditions are
   * traced where it is made. */
  if (!fn->plain)
    region_push(fn);
  return st;
}

static void
inline_leave(Fn *fn, InlineState st)
{
  if (!fn->plain)
    region_pop(fn);
  fn->inline_depth--;
  g_array_unref(fn->bind);
  fn->bind = st.bind;
  fn->rule = st.rule;
}

/* The register local @a (a parameter, a loop's element) is bound to, or NONE when @a is
 * not a local. */
static uint32_t
local_reg(Fn *fn, const AstNode *a)
{
  if (a->kind != AST_NAME || a->sym_kind != SYM_LOCAL || a->sym >= fn->bind->len)
    return NONE;
  return g_array_index(fn->bind, uint32_t, a->sym);
}

/* The register an argument already lives in for the whole region: a local, or a value
 * fixed for the evaluation (an input field, the peildatum); else NONE. */
static uint32_t
plain_arg(Fn *fn, AstNode *a)
{
  uint32_t r = local_reg(fn, a);
  return r != NONE ? r : invariant_reg(fn, a);
}

/* Argument registers of an inlined call: a plain local is bound as it is, others computed. */
static uint32_t *
gen_inline_args(Fn *fn, RuleGroup *g, AstNode *call)
{
  uint32_t *regs = g_new0(uint32_t, g->nparams + 1);
  for (uint32_t i = 0; i < g->nparams; i++) {
    AstNode *a = call->kids[i];
    uint32_t fixed = a->type == g->param_types[i] ? plain_arg(fn, a) : NONE;
    if (fixed != NONE) {
      regs[i] = fixed;
    } else if (a->type == g->param_types[i] ||
               (g->param_types[i] == REG_TYPE_DEC && a->type == REG_TYPE_INT)) {
      /* the value's own register: nothing writes it while the body runs (a rule never
       * assigns its parameters), so no copy is needed */
      regs[i] = gen_want(fn, a, g->param_types[i]);
      fn->fresh = NONE;
    } else {
      regs[i] = new_reg(fn, g->param_types[i]);
      gen_to(fn, a, g->param_types[i], regs[i]);
    }
  }
  return regs;
}

static uint32_t
gen_args(Fn *fn, RuleGroup *g, AstNode *call)
{
  /* one argument: the call reads it where it is (CALL takes registers c, c+1, ...) */
  if (g->nparams == 1 && (call->kids[0]->type == g->param_types[0] ||
                          (g->param_types[0] == REG_TYPE_DEC && call->kids[0]->type == REG_TYPE_INT))) {
    uint32_t r = gen_want(fn, call->kids[0], g->param_types[0]);
    fn->fresh = NONE;
    return r;
  }
  /* locals in consecutive registers already (a rule passing its parameters on): the
   * call reads them where they are */
  uint32_t first = NONE;
  for (uint32_t i = 0; i < g->nparams; i++) {
    AstNode *a = call->kids[i];
    uint32_t r = a->type == g->param_types[i] ? local_reg(fn, a) : NONE;
    if (r == NONE || (i > 0 && r != first + i)) {
      first = NONE;
      break;
    }
    first = i == 0 ? r : first;
  }
  if (first != NONE)
    return first;
  uint32_t args = fn->rtypes->len;
  for (uint32_t i = 0; i < g->nparams; i++)
    new_reg(fn, g->param_types[i]);
  for (uint32_t i = 0; i < g->nparams; i++)
    gen_to(fn, call->kids[i], g->param_types[i], args + i);
  return args;
}

/* A leaf condition: its value in a register whose instruction is a condition site.
 * With @at_jump, a value that no instruction of its own computes here (a local, a value
 * computed before, a call's result) is returned as it is, *at_jump set: the caller's
 * conditional jump on it becomes the site, instead of a copy. */
static uint32_t
gen_leaf(Fn *fn, AstNode *n, bool *at_jump)
{
  uint32_t before = fn->code->len;
  uint32_t r = gen(fn, n);
  uint32_t pc;
  bool is_site = false;
  /* straight-line code only: the last instruction of a branching form runs on some paths */
  bool straight = (n->kind == AST_BINARY && n->op != OP_AND && n->op != OP_OR) ||
                  n->kind == AST_IS || n->kind == AST_FIELD || n->kind == AST_NAME;
  if (straight && fn->code->len > before) {
    uint64_t w = g_array_index(fn->code, uint64_t, fn->code->len - 1);
    unsigned op = REG_INSN_OP(w);
    is_site = REG_INSN_A(w) == r && writes_a_only(op) && op != REG_OP_CALL && op != REG_OP_GLOBAL;
  }
  if (is_site) {
    pc = fn->code->len - 1;
  } else if (at_jump) {
    *at_jump = true;
    fn->fresh = NONE;
    return r;
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
  uint32_t lhs = 0, rhs = 0;
  if (cmp != REG_CMP_NONE) {
    lhs = fn->cmp_lhs;
    rhs = fn->cmp_rhs;
    if (n->sym == REG_TYPE_TEXT)
      cmp |= REG_CMP_TEXT;
  }
  RegCond cond = { 0, pc, reg_builder_string(fn->c->b, label), fn->rule, cmp, lhs, rhs };
  g_free(label);
  g_array_append_val(fn->conds, cond);
  fn->fresh = NONE;
  return r;
}

/* Records a condition site at a fused jump: its value is the jump's condition, or its
 * negation when the code jumps on false. */
static void
add_fused_site(Fn *fn, AstNode *n, uint32_t pc, bool jump_when)
{
  char *label = source_text(fn, n);
  RegCond cond = { 0, pc, reg_builder_string(fn->c->b, label), fn->rule,
                   jump_when ? REG_CMP_NONE : REG_CMP_NEGATED, 0, 0 };
  g_free(label);
  g_array_append_val(fn->conds, cond);
}

/* @r as a set of members of the enumeration @l's value is of ([m1, m2, ...] written out),
 * or FALSE. */
static bool
member_set(Fn *fn, const AstNode *l, const AstNode *r, uint64_t *mask)
{
  if (r->kind != AST_LIST || r->nkids == 0 || comp_kind(fn->c, l->type) != REG_TK_ENUM)
    return false;
  *mask = 0;
  for (uint32_t i = 0; i < r->nkids; i++) {
    if (r->kids[i]->sym_kind != SYM_MEMBER)
      return false;
    *mask |= (uint64_t) 1 << r->kids[i]->sym2;
  }
  return true;
}

/* Leaves that test with a jump of their own: a boolean field of a record, an empty list,
 * membership of a text list or an enumeration set. Returns whether @n was one. */
static bool
gen_fused_leaf(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps)
{
  RegCompiler *c = fn->c;
  if (n->kind == AST_FIELD && n->sym_kind == SYM_NONE && n->type == REG_TYPE_BOOL) {
    char *key = value_key(fn, n);
    bool cached = cse_find(fn, key) != NONE || invariant_reg(fn, n) != NONE;
    g_free(key);
    if (cached)
      return false;
    uint32_t rec = gen(fn, n->kids[0]);
    uint32_t pc = emit(fn, n, jump_when ? REG_OP_JTF : REG_OP_JFF, rec, n->sym, 0);
    add_fused_site(fn, n, pc, jump_when);
    add_jump(jumps, pc);
    return true;
  }
  if (n->kind == AST_IS && n->op == AST_IS_EMPTY) {
    uint32_t l = gen(fn, n->kids[0]);
    bool cond_is_empty = !n->flag;
    bool jump_if_empty = cond_is_empty == jump_when;
    uint32_t pc = emit(fn, n, jump_if_empty ? REG_OP_JEMPTY : REG_OP_JNEMPTY, l, 0, 0);
    add_fused_site(fn, n, pc, jump_when);
    add_jump(jumps, pc);
    return true;
  }
  if (n->kind == AST_BINARY && (n->op == OP_IN || n->op == OP_NOTIN)) {
    AstNode *l = n->kids[0], *r = n->kids[1];
    bool in = n->op == OP_IN;
    bool jump_if_found = in == jump_when;
    uint64_t mask;
    uint32_t pc;
    if (member_set(fn, l, r, &mask)) {
      uint32_t v = gen(fn, l);
      pc = emit(fn, n, jump_if_found ? REG_OP_JINSET : REG_OP_JNINSET, v,
                reg_builder_const(c->b, (int64_t) mask), 0);
    } else if (l->type == REG_TYPE_TEXT) {
      uint32_t v = gen(fn, l);
      uint32_t list = gen(fn, r);
      pc = emit(fn, n, jump_if_found ? REG_OP_JTIN : REG_OP_JNTIN, v, list, 0);
    } else {
      return false;
    }
    add_fused_site(fn, n, pc, jump_when);
    add_jump(jumps, pc);
    return true;
  }
  return false;
}

/* The member @n names, when it is a member of an enumeration written out. */
static bool
member_value(const AstNode *n, int64_t *v)
{
  if (n->kind != AST_NAME || n->sym_kind != SYM_MEMBER)
    return false;
  *v = n->sym2;
  return true;
}

/* ---- values known while compiling (bodies for untraced runs only) ---------------- */

/* Bodies for untraced runs fold conditions whose value the compiler knows: a member
 * compared with a member, where a local may stand for one (a parameter of an inlined rule
 * given a member, a loop over the members of an enumeration unrolled). Traced bodies keep
 * every condition, for coverage and explanations. Only values that cannot fail are
 * folded, and an operand evaluated first is never skipped: no error is lost. */

/* The constant a register holds, when it is a boolean or member constant (loadk). */
static bool
reg_const(Fn *fn, uint32_t r, int64_t *v)
{
  gpointer x = r == NONE ? NULL : g_hash_table_lookup(fn->kval, GUINT_TO_POINTER(r + 1));
  if (!x)
    return false;
  *v = GPOINTER_TO_INT(x) - 2;
  return true;
}

/* The member or truth value @n has whatever the portfolio, if the compiler knows it. */
static bool
const_value(Fn *fn, const AstNode *n, int64_t *v)
{
  if (!fn->plain)
    return false;
  if (member_value(n, v))
    return true;
  if (n->kind == AST_BOOL) {
    *v = n->num != 0;
    return true;
  }
  return reg_const(fn, local_reg(fn, n), v);
}

static bool const_cond(Fn *fn, AstNode *n, bool *v);

/* A small rule called with members and locals only: its body's value, if known. */
static bool
const_call(Fn *fn, AstNode *n, bool *v)
{
  if (n->op == 1)
    return false;
  RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
  if (!inlinable(fn, g) || g->nparams != n->nkids)
    return false;
  GArray *args = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  for (uint32_t i = 0; i < n->nkids; i++) {
    AstNode *a = n->kids[i];
    uint32_t r = NONE;
    int64_t m;
    if (a->type != g->param_types[i])
      break;
    if ((r = local_reg(fn, a)) == NONE && member_value(a, &m))
      r = loadk(fn, a, a->type, m); /* (dropped from the prologue if unused) */
    if (r == NONE)
      break;
    g_array_append_val(args, r);
  }
  bool known = false;
  if (args->len == n->nkids) {
    GArray *outer = fn->bind;
    fn->bind = args;
    fn->inline_depth++;
    known = const_cond(fn, ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2], v);
    fn->inline_depth--;
    fn->bind = outer;
  }
  g_array_unref(args);
  return known;
}

/* The value of condition @n, if the compiler knows it (without skipping an operand that
 * would be evaluated before the known one). */
static bool
const_cond(Fn *fn, AstNode *n, bool *v)
{
  if (!fn->plain || !n)
    return false;
  int64_t x, y;
  switch (n->kind) {
  case AST_BOOL:
  case AST_NAME:
    if (n->type != REG_TYPE_BOOL || !const_value(fn, n, &x))
      return false;
    *v = x != 0;
    return true;
  case AST_UNARY:
    if (n->op != OP_NOT || !const_cond(fn, n->kids[0], v))
      return false;
    *v = !*v;
    return true;
  case AST_IF: {
    bool c;
    if (!const_cond(fn, n->kids[0], &c))
      return false;
    return const_cond(fn, n->kids[c ? 1 : 2], v);
  }
  case AST_CALL:
    return n->type == REG_TYPE_BOOL && const_call(fn, n, v);
  case AST_BINARY:
    switch ((AstOp) n->op) {
    case OP_AND:
    case OP_OR: {
      bool l;
      if (!const_cond(fn, n->kids[0], &l))
        return false;
      if (l == (n->op == OP_OR)) {
        *v = l; /* decided by the first operand: the second never runs */
        return true;
      }
      return const_cond(fn, n->kids[1], v);
    }
    case OP_EQ:
    case OP_NE:
      if (n->sym == NONE || comp_kind(fn->c, n->sym) != REG_TK_ENUM ||
          !const_value(fn, n->kids[0], &x) || !const_value(fn, n->kids[1], &y))
        return false;
      *v = (x == y) == (n->op == OP_EQ);
      return true;
    case OP_IN:
    case OP_NOTIN: {
      uint64_t mask;
      if (!member_set(fn, n->kids[0], n->kids[1], &mask) || !const_value(fn, n->kids[0], &x) ||
          x < 0 || x > 63)
        return false;
      *v = ((mask >> x) & 1) == (n->op == OP_IN);
      return true;
    }
    default:
      return false;
    }
  default:
    return false;
  }
}

/* Where a branch goes: to @jumps when the tested value is @jump_when; for a choice
 * compared with a member (branch_choice), the comparison @at: = @k when @eq, else ≠ @k. */
typedef struct {
  bool jump_when;
  Jumps *jumps;
  AstNode *at;
  bool eq;
  int64_t k;
} Branch;

typedef void (*BranchArm)(Fn *fn, AstNode *arm, const Branch *to);

/* als C dan A anders B, tested: branch on C, then test A or B with @arm (no value built). */
static void
branch_if(Fn *fn, AstNode *x, BranchArm arm, const Branch *to)
{
  bool known;
  if (const_cond(fn, x->kids[0], &known)) {
    arm(fn, x->kids[known ? 1 : 2], to);
    return;
  }
  Jumps *other = jumps_new(), *done = jumps_new();
  uint32_t level = fn->level;
  gen_branch(fn, x->kids[0], false, other);
  region_push(fn);
  arm(fn, x->kids[1], to);
  region_pop_to(fn, level);
  add_jump(done, emit(fn, x, REG_OP_JMP, 0, 0, 0));
  patch(fn, other, here(fn));
  region_push(fn);
  arm(fn, x->kids[2], to);
  region_pop_to(fn, level);
  patch(fn, done, here(fn));
  g_array_unref(other);
  g_array_unref(done);
}

static void
arm_branch(Fn *fn, AstNode *arm, const Branch *to)
{
  gen_branch(fn, arm, to->jump_when, to->jumps);
}

/* Branches on (@x = k) or (@x ≠ k), for a choice @x between members (als .. dan .. anders
 * ..): the comparison is made in each branch, with the members written there compared
 * now, so the chosen member is never built. */
static void
branch_choice(Fn *fn, AstNode *x, const Branch *to)
{
  int64_t v;
  if (x->kind == AST_IF) {
    branch_if(fn, x, branch_choice, to);
  } else if (const_value(fn, x, &v)) {
    if (((v == to->k) == to->eq) == to->jump_when)
      add_jump(to->jumps, emit(fn, x, REG_OP_JMP, 0, 0, 0));
  } else {
    uint32_t r = gen(fn, x), kr = loadk(fn, to->at, x->type, to->k);
    add_jump(to->jumps,
             emit(fn, to->at, to->eq == to->jump_when ? REG_OP_JEQ : REG_OP_JNE, r, kr, 0));
  }
}

/* afwijzing(a) = geen, where afwijzing is a small rule choosing a member: in bodies for
 * untraced runs, the rule is inlined and the comparison moved into its branches. (Not in
 * traced bodies: coverage and explanations keep the comparison as one condition.) */
static bool
gen_branch_choice(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps)
{
  if (!fn->plain || n->kind != AST_BINARY || (n->op != OP_EQ && n->op != OP_NE) ||
      n->sym == NONE || comp_kind(fn->c, n->sym) != REG_TK_ENUM)
    return false;
  int64_t k;
  AstNode *x = n->kids[0];
  if (!member_value(n->kids[1], &k)) {
    if (!member_value(n->kids[0], &k))
      return false;
    x = n->kids[1];
  }
  if (x->type != n->sym)
    return false;
  Branch to = { jump_when, jumps, n, n->op == OP_EQ, k };
  if (x->kind == AST_IF) {
    branch_choice(fn, x, &to);
    return true;
  }
  if (x->kind != AST_CALL || x->op == 1)
    return false;
  RuleGroup *g = g_ptr_array_index(fn->c->rules, x->sym);
  if (!inlinable(fn, g))
    return false;
  AstNode *body = ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2];
  char *key = value_key(fn, x);
  bool cached = cse_find(fn, key) != NONE;
  g_free(key);
  if (cached || body->kind != AST_IF || body->type != n->sym)
    return false;
  uint32_t *args = gen_inline_args(fn, g, x);
  InlineState st = inline_enter(fn, g, args);
  g_free(args);
  branch_choice(fn, body, &to);
  inline_leave(fn, st);
  return true;
}

static void
gen_branch(Fn *fn, AstNode *n, bool jump_when, Jumps *jumps)
{
  bool known;
  if (const_cond(fn, n, &known)) {
    if (known == jump_when)
      add_jump(jumps, emit(fn, n, REG_OP_JMP, 0, 0, 0));
    return;
  }
  if (gen_branch_choice(fn, n, jump_when, jumps))
    return;
  if (n->kind == AST_BINARY && (n->op == OP_AND || n->op == OP_OR)) {
    bool is_and = n->op == OP_AND;
    /* a first operand known (and not deciding, else the whole would be known): the
     * second decides; a second known not to decide: the first */
    if (const_cond(fn, n->kids[0], &known)) {
      gen_branch(fn, n->kids[1], jump_when, jumps);
      return;
    }
    if (const_cond(fn, n->kids[1], &known) && known == is_and) {
      gen_branch(fn, n->kids[0], jump_when, jumps);
      return;
    }
    /* 'en' jumps out on the first false; 'of' on the first true */
    /* The second operand runs only on some paths. When the condition falls through
     * only after both ran ('en' jumping out on false), its values hold on that path:
     * its region stays open for the caller to end where the jumps land. */
    if (jump_when != is_and) {
      gen_branch(fn, n->kids[0], jump_when, jumps);
      region_push(fn);
      gen_branch(fn, n->kids[1], jump_when, jumps);
    } else {
      Jumps *skip = jumps_new();
      uint32_t level = fn->level;
      gen_branch(fn, n->kids[0], !jump_when, skip);
      region_push(fn);
      gen_branch(fn, n->kids[1], jump_when, jumps);
      region_pop_to(fn, level);
      patch(fn, skip, here(fn));
      g_array_unref(skip);
    }
    return;
  }
  if (n->kind == AST_UNARY && n->op == OP_NOT) {
    gen_branch(fn, n->kids[0], !jump_when, jumps);
    return;
  }
  if (n->kind == AST_BOOL) {
    /* waar or onwaar written out: jump always or never, and no condition to cover */
    if ((n->num != 0) == jump_when)
      add_jump(jumps, emit(fn, n, REG_OP_JMP, 0, 0, 0));
    return;
  }
  if (n->kind == AST_IF) {
    Branch to = { jump_when, jumps, NULL, false, 0 };
    branch_if(fn, n, arm_branch, &to);
    return;
  }
  /* A small boolean rule: branch on its body directly. */
  if (n->kind == AST_CALL && n->op != 1) {
    RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
    char *key = value_key(fn, n);
    bool cached = cse_find(fn, key) != NONE;
    g_free(key);
    if (!cached && inlinable(fn, g)) {
      uint32_t *args = gen_inline_args(fn, g, n);
      AstNode *body = ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2];
      InlineState st = inline_enter(fn, g, args);
      g_free(args);
      gen_branch(fn, body, jump_when, jumps);
      inline_leave(fn, st);
      return;
    }
  }
  if (gen_fused_leaf(fn, n, jump_when, jumps))
    return;
  bool at_jump = false;
  uint32_t r = gen_leaf(fn, n, &at_jump);
  if (at_jump) {
    uint32_t pc = emit(fn, n, jump_when ? REG_OP_JT : REG_OP_JF, r, 0, 0);
    add_fused_site(fn, n, pc, jump_when);
    add_jump(jumps, pc);
    return;
  }
  /* A comparison followed by its jump becomes one compare-and-jump. */
  uint32_t last = fn->code->len - 1;
  const RegCond *site = fn->conds->len ? &g_array_index(fn->conds, RegCond, fn->conds->len - 1) : NULL;
  uint64_t w = fn->code->len ? g_array_index(fn->code, uint64_t, last) : 0;
  unsigned op = REG_INSN_OP(w);
  if (site && site->pc == last && REG_INSN_A(w) == r && fn->code->len) {
    unsigned b = REG_INSN_B(w), c = REG_INSN_C(w);
    int fused = -1;
    unsigned x = b, y = c;
    switch (op) {
    case REG_OP_EQ:
      fused = jump_when ? REG_OP_JEQ : REG_OP_JNE;
      break;
    case REG_OP_NE:
      fused = jump_when ? REG_OP_JNE : REG_OP_JEQ;
      break;
    case REG_OP_TEQ:
      fused = jump_when ? REG_OP_JTEQ : REG_OP_JTNE;
      break;
    case REG_OP_TNE:
      fused = jump_when ? REG_OP_JTNE : REG_OP_JTEQ;
      break;
    case REG_OP_LT: /* b < c; else c <= b */
      fused = jump_when ? REG_OP_JLT : REG_OP_JLE;
      if (!jump_when) {
        x = c;
        y = b;
      }
      break;
    case REG_OP_LE: /* b <= c; else c < b */
      fused = jump_when ? REG_OP_JLE : REG_OP_JLT;
      if (!jump_when) {
        x = c;
        y = b;
      }
      break;
    default:
      break;
    }
    if (fused >= 0) {
      g_array_index(fn->code, uint64_t, last) = REG_INSN(fused, x, y, 0);
      if (!jump_when)
        g_array_index(fn->conds, RegCond, fn->conds->len - 1).cmp |= REG_CMP_NEGATED;
      fn->fresh = NONE;
      add_jump(jumps, last);
      return;
    }
  }
  add_jump(jumps, emit(fn, n, jump_when ? REG_OP_JT : REG_OP_JF, r, 0, 0));
}

/* A boolean computed through branches, so that its leaves are condition sites. */
static uint32_t
gen_bool_value(Fn *fn, AstNode *n)
{
  uint32_t t = new_reg(fn, REG_TYPE_BOOL);
  Jumps *f = jumps_new(), *end = jumps_new();
  uint32_t level = fn->level;
  gen_branch(fn, n, false, f);
  region_pop_to(fn, level);
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
    mask = loadk_mut(fn, at, REG_TYPE_INT, 0);
  for (uint32_t i = 0; i < nf; i++) {
    FieldSym *f = g_ptr_array_index(r->fields, i);
    bool optional = (f->flags & REG_FIELD_OPTIONAL) != 0;
    if (values[i]) {
      Jumps *skip = jumps_new();
      uint32_t level = fn->level;
      if (conds[i]) {
        gen_branch(fn, conds[i], false, skip);
        region_push(fn);
      }
      gen_to(fn, values[i], f->type, base + i);
      if (optional) {
        uint32_t k = loadk(fn, values[i], REG_TYPE_INT, (int64_t) 1 << bit);
        emit(fn, values[i], REG_OP_ADD, mask, mask, k);
      }
      region_pop_to(fn, level);
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
  fuse_sums(fn, n);
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
  if (g->nparams == 0) {
    emit(fn, at, REG_OP_GLOBAL, dst, fn->plain ? g->plain_globals[vi] : g->globals[vi], 0);
  } else {
    emit(fn, at, REG_OP_CALL, dst, fn->plain ? g->plain_funcs[vi] : g->funcs[vi], args);
  }
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
  if (!date) {
    char *key = value_key(fn, call ? call : at);
    uint32_t r = cse_find(fn, key);
    if (r != NONE) {
      g_free(key);
      fn->fresh = NONE;
      return r;
    }
    if (call && inlinable(fn, g)) {
      uint32_t *args = gen_inline_args(fn, g, call);
      AstNode *body = ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2];
      InlineState st = inline_enter(fn, g, args);
      g_free(args);
      uint32_t t = new_reg(fn, g->ret_type);
      gen_to(fn, body, g->ret_type, t);
      inline_leave(fn, st);
      cse_add(fn, key, t);
      g_free(key);
      return t;
    }
    r = rule_ref_call(fn, at, g, call, NULL);
    cse_add(fn, key, r);
    g_free(key);
    return r;
  }
  return rule_ref_call(fn, at, g, call, date);
}

static uint32_t
rule_ref_call(Fn *fn, AstNode *at, RuleGroup *g, AstNode *call, AstNode *date)
{
  uint32_t args = 0;
  if (g->nparams > 0)
    args = gen_args(fn, g, call);
  if (!date && direct_version(g)) {
    uint32_t t = new_reg(fn, g->ret_type);
    call_version(fn, at, g, 0, args, t);
    fn->fresh = t;
    return t;
  }
  if (!date && g->nparams == 0)
    return emit_new(fn, at, g->ret_type, REG_OP_GLOBAL,
                    fn->plain ? g->plain_dispatch_global : g->dispatch_global, 0);
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
  fn->cmp_lhs = a;
  fn->cmp_rhs = b;
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
  uint64_t mask;
  if (member_set(fn, l, r, &mask)) {
    uint32_t v = gen(fn, l);
    t = emit_new(fn, n, REG_TYPE_BOOL, REG_OP_INSET, v,
                 reg_builder_const(fn->c->b, (int64_t) mask));
  } else {
    uint32_t v = gen_want(fn, l, comp_arg(fn->c, r->type));
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
  fuse_sums(fn, n);
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
      if (n->op == OP_SUB) {
        uint32_t k = loadk(fn, n, REG_TYPE_INT, -1);
        b = emit_new(fn, n, REG_TYPE_DUR, REG_OP_DURMUL, b, k);
      }
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

/* ---- sums that share a loop ------------------------------------------------------ */

/* Appends to @k the registers of the locals that @n uses but does not bind itself. */
static void
free_locals(Fn *fn, const AstNode *n, GArray *bound, GString *k)
{
  if (!n)
    return;
  if ((n->kind == AST_NAME || n->kind == AST_FIELD) && n->sym_kind == SYM_LOCAL) {
    for (guint i = 0; i < bound->len; i++)
      if (g_array_index(bound, uint32_t, i) == n->sym)
        return;
    uint32_t r = n->sym < fn->bind->len ? g_array_index(fn->bind, uint32_t, n->sym) : NONE;
    g_string_append_printf(k, ",%u=%u", n->sym, r);
    return;
  }
  guint mark = bound->len;
  if (n->kind == AST_COMPR)
    g_array_append_val(bound, n->sym);
  for (uint32_t i = 0; i < n->nkids; i++)
    free_locals(fn, n->kids[i], bound, k);
  g_array_set_size(bound, mark);
}

/* The CSE key of the value of sum or count @n: the node and the registers of its free
 * locals (rules are pure: the same node over the same values gives the same value). */
static char *
compr_key(Fn *fn, const AstNode *n)
{
  GString *k = g_string_new(NULL);
  g_string_append_printf(k, "Q%p", (const void *) n);
  GArray *bound = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  free_locals(fn, n, bound, k);
  g_array_unref(bound);
  return g_string_free(k, FALSE);
}

/* A sum or count found where its expression is always evaluated, in its context. */
typedef struct {
  AstNode *n;
  GArray *bind;  /* the bindings of its rule (a copy) */
  uint32_t rule;
  char *src_key; /* value key of the list it goes over */
  char *key;     /* compr_key() */
} Fusable;

static void
fusable_free(gpointer data)
{
  Fusable *f = data;
  g_array_unref(f->bind);
  g_free(f->src_key);
  g_free(f->key);
  g_free(f);
}

/* Collects the sums and counts that evaluating @n always evaluates: not those behind a
 * condition ('als', the right side of 'en'/'of'), looking into the rules that will be
 * inlined. They are computed before @n in any case, so computing them together changes
 * no value. */
static void
collect_fusable(Fn *fn, AstNode *n, GPtrArray *out)
{
  if (!n)
    return;
  switch (n->kind) {
  case AST_COMPR: {
    if (n->op != AST_COMPR_SUM && n->op != AST_COMPR_COUNT)
      return;
    char *key = compr_key(fn, n);
    char *src = value_key(fn, n->kids[1]);
    if (cse_find(fn, key) != NONE || !src) {
      g_free(key);
      g_free(src);
      return;
    }
    Fusable *f = g_new0(Fusable, 1);
    f->n = n;
    f->bind = g_array_copy(fn->bind);
    f->rule = fn->rule;
    f->src_key = src;
    f->key = key;
    g_ptr_array_add(out, f);
    return;
  }
  case AST_BINARY:
    collect_fusable(fn, n->kids[0], out);
    if (n->op != OP_AND && n->op != OP_OR)
      collect_fusable(fn, n->kids[1], out);
    return;
  case AST_UNARY:
  case AST_IS:
  case AST_UNIT:
  case AST_IF:
    collect_fusable(fn, n->kids[0], out);
    return;
  case AST_MINMAX2:
    collect_fusable(fn, n->kids[0], out);
    collect_fusable(fn, n->kids[1], out);
    return;
  case AST_RECLIT:
    /* fields that are sums themselves, without a condition: gen_record computes them all.
     * (Not sums deeper in a field: a field that calls a rule, R1's geteld(b), fuses in
     * that rule's own context, after the record's other fields have been computed, so the
     * loop finds what they computed, such as b.code, instead of loading it per element.) */
    for (uint32_t i = 0; i < n->nkids; i++)
      if (!n->kids[i]->kids[1] && n->kids[i]->kids[0]->kind == AST_COMPR)
        collect_fusable(fn, n->kids[i]->kids[0], out);
    return;
  case AST_CALL: {
    for (uint32_t i = 0; i < n->nkids; i++)
      collect_fusable(fn, n->kids[i], out);
    if (n->op == 1)
      return;
    RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
    char *key = value_key(fn, n);
    bool cached = cse_find(fn, key) != NONE;
    g_free(key);
    if (cached || !inlinable(fn, g))
      return;
    /* into the body, when the arguments are locals bound as they are (gen_inline_args) */
    uint32_t *args = g_new0(uint32_t, g->nparams + 1);
    bool plain = true;
    for (uint32_t i = 0; i < g->nparams && plain; i++) {
      AstNode *a = n->kids[i];
      args[i] = a->type == g->param_types[i] ? plain_arg(fn, a) : NONE;
      plain = args[i] != NONE;
    }
    if (plain) {
      GArray *bind = fn->bind;
      uint32_t rule = fn->rule;
      fn->bind = g_array_new(FALSE, FALSE, sizeof(uint32_t));
      g_array_append_vals(fn->bind, args, g->nparams);
      fn->rule = rule_of(g);
      fn->inline_depth++;
      collect_fusable(fn, ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2], out);
      fn->inline_depth--;
      g_array_unref(fn->bind);
      fn->bind = bind;
      fn->rule = rule;
    }
    g_free(args);
    return;
  }
  default:
    return;
  }
}

/* The conditions of a 'waarvoor' that must all hold: the operands of its top-level 'en's. */
static void
conjuncts(AstNode *n, GPtrArray *out)
{
  if (!n)
    return;
  if (n->kind == AST_BINARY && n->op == OP_AND) {
    conjuncts(n->kids[0], out);
    conjuncts(n->kids[1], out);
  } else {
    g_ptr_array_add(out, n);
  }
}

/* Whether condition @a (in bindings @ba) is 'niet' @b (in @bb) or the other way round:
 * 0 when @a is the positive one, 1 when @b is, -1 when neither. */
static int
complementary(Fn *fn, AstNode *a, GArray *ba, AstNode *b, GArray *bb)
{
  for (int pos = 0; pos < 2; pos++) {
    AstNode *x = pos == 0 ? a : b, *nx = pos == 0 ? b : a;
    GArray *bx = pos == 0 ? ba : bb, *bnx = pos == 0 ? bb : ba;
    if (nx->kind != AST_UNARY || nx->op != OP_NOT)
      continue;
    GArray *saved = fn->bind;
    fn->bind = bx;
    char *kx = value_key(fn, x);
    fn->bind = bnx;
    char *knx = value_key(fn, nx->kids[0]);
    fn->bind = saved;
    bool same = kx && knx && strcmp(kx, knx) == 0;
    g_free(kx);
    g_free(knx);
    if (same)
      return pos;
  }
  return -1;
}

/* Adds one element's contribution to the accumulator of sum or count @n. */
static void
gen_accumulate(Fn *fn, AstNode *n, uint32_t acc, uint32_t one)
{
  AstNode *body = n->kids[0];
  uint32_t T = n->type;
  if (n->op == AST_COMPR_COUNT) {
    emit(fn, n, REG_OP_ADD, acc, acc, one);
    return;
  }
  if (body->kind == AST_FIELD && body->sym_kind == SYM_NONE && body->type == T &&
      body->kids[0]->kind == AST_NAME && body->kids[0]->sym_kind == SYM_LOCAL) {
    /* som(a.uren ...): add the field straight into the sum */
    uint32_t rec = g_array_index(fn->bind, uint32_t, body->kids[0]->sym);
    emit(fn, body, REG_OP_ADDF, acc, rec, body->sym);
    return;
  }
  uint32_t v = gen_want(fn, body, T);
  emit(fn, body, REG_OP_ADD, acc, acc, v);
}

/* A parameter whose every version is a literal; with @at (a version chosen by date),
 * one without 'geldt vanaf' too, so that a version is in effect on every date. */
static bool
infallible_param(Fn *fn, uint32_t rule, bool at)
{
  RuleGroup *g = g_ptr_array_index(fn->c->rules, rule);
  if (!g->is_param || g->nparams != 0 || (!at && !direct_version(g)))
    return false;
  bool base = false;
  for (guint i = 0; i < g->versions->len; i++) {
    const AstNode *v = g_ptr_array_index(g->versions, i);
    int64_t from;
    base = base || !version_from(v, &from);
    switch (v->kids[2]->kind) {
    case AST_INT:
    case AST_DEC:
    case AST_TEXT:
    case AST_DATE:
    case AST_BOOL:
      break;
    case AST_NAME:
      if (v->kids[2]->sym_kind == SYM_MEMBER)
        break;
      return false;
    default:
      return false;
    }
  }
  return base;
}

/* Whether evaluating @n can raise no runtime error: comparisons and tests of fields,
 * locals, constants and parameters (versions with a base, literal values), and small
 * rules made of them. No arithmetic, no allocation, no loop. */
static bool
infallible(Fn *fn, const AstNode *n, uint32_t depth)
{
  if (!n)
    return true;
  if (depth > INLINE_MAX_DEPTH)
    return false;
  switch (n->kind) {
  case AST_INT:
  case AST_DEC:
  case AST_TEXT:
  case AST_DATE:
  case AST_BOOL:
  case AST_ASOF:
    return true;
  case AST_NAME:
    if (n->sym_kind == SYM_RULE)
      return infallible_param(fn, n->sym, false);
    return n->sym_kind == SYM_LOCAL || n->sym_kind == SYM_INPUT || n->sym_kind == SYM_MEMBER ||
           n->sym_kind == SYM_UNKNOWN_MEMBER;
  case AST_FIELD:
    return n->sym_kind != SYM_RULE && infallible(fn, n->kids[0], depth);
  case AST_AT:
    return n->kids[0]->kind == AST_NAME && n->kids[0]->sym_kind == SYM_RULE &&
           infallible_param(fn, n->kids[0]->sym, true) && infallible(fn, n->kids[1], depth);
  case AST_CALL: {
    if (n->op == 1)
      return false;
    RuleGroup *g = g_ptr_array_index(fn->c->rules, n->sym);
    if (!direct_version(g) || g->nparams != n->nkids)
      return false;
    for (uint32_t i = 0; i < n->nkids; i++)
      if (!infallible(fn, n->kids[i], depth))
        return false;
    return infallible(fn, ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2], depth + 1);
  }
  case AST_UNARY:
    return n->op == OP_NOT && infallible(fn, n->kids[0], depth);
  case AST_BINARY:
    switch ((AstOp) n->op) {
    case OP_AND:
    case OP_OR:
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
      return infallible(fn, n->kids[0], depth) && infallible(fn, n->kids[1], depth);
    case OP_IN:
    case OP_NOTIN:
      /* a member set, or a list value (not a list built here) */
    {
      uint64_t mask;
      return infallible(fn, n->kids[0], depth) &&
             (n->kids[1]->kind == AST_LIST ? member_set(fn, n->kids[0], n->kids[1], &mask)
                                           : infallible(fn, n->kids[1], depth));
    }
    default:
      return false;
    }
  case AST_IS:
    return infallible(fn, n->kids[0], depth);
  case AST_IF:
    return infallible(fn, n->kids[0], depth) && infallible(fn, n->kids[1], depth) &&
           infallible(fn, n->kids[2], depth);
  default:
    return false;
  }
}

/* A source rule([x voor x in S waarvoor P]) of a shared loop, in bodies for untraced runs:
 * the loop can go over S and test P itself, without building the list, when the rule's
 * arguments are locals and P cannot fail (so no error comes out in another order).
 * Returns the rule's comprehension, or NULL. */
static AstNode *
filter_rule(Fn *fn, const AstNode *src)
{
  if (!fn->plain || src->kind != AST_CALL || src->op == 1)
    return NULL;
  RuleGroup *g = g_ptr_array_index(fn->c->rules, src->sym);
  if (!direct_version(g) || g->nparams != src->nkids)
    return NULL;
  for (uint32_t i = 0; i < src->nkids; i++) {
    const AstNode *a = src->kids[i];
    if (a->type != g->param_types[i] || local_reg(fn, a) == NONE)
      return NULL;
  }
  AstNode *body = ((AstNode *) g_ptr_array_index(g->versions, 0))->kids[2];
  if (body->kind != AST_COMPR || body->op != AST_COMPR_LIST || !body->kids[2] || body->kids[3])
    return NULL;
  const AstNode *x = body->kids[0], *S = body->kids[1];
  if (x->kind != AST_NAME || x->sym_kind != SYM_LOCAL || x->sym != body->sym ||
      S->type != src->type || has_loop(S) || has_loop(body->kids[2]) ||
      !infallible(fn, body->kids[2], 0))
    return NULL;
  return body;
}

/* Before @n is generated: the sums and counts it always evaluates that go over the same
 * list are computed in one loop, sharing the conditions their filters start with. The
 * results go into the CSE table, where gen_compr() finds them. (R1's formal and informal
 * hours: one pass over the activities instead of two, the shared 'telt' tested once.) */
static void
fuse_sums(Fn *fn, AstNode *n)
{
  GPtrArray *found = g_ptr_array_new_with_free_func(fusable_free);
  collect_fusable(fn, n, found);
  RegCompiler *c = fn->c;
  for (guint i = 0; i < found->len; i++) {
    Fusable *lead = g_ptr_array_index(found, i);
    if (!lead->src_key)
      continue; /* already in an earlier group */
    GPtrArray *group = g_ptr_array_new();
    for (guint j = i; j < found->len; j++) {
      Fusable *f = g_ptr_array_index(found, j);
      if (!f->src_key || strcmp(f->src_key, lead->src_key) != 0)
        continue;
      bool dup = false; /* the same sum reached twice: the group's value serves it too */
      for (guint k = 0; k < group->len && !dup; k++)
        dup = strcmp(((Fusable *) g_ptr_array_index(group, k))->key, f->key) == 0;
      if (!dup) {
        g_ptr_array_add(group, f);
      } else {
        g_free(f->src_key); /* not the lead of another group */
        f->src_key = NULL;
      }
    }
    if (group->len < 2) {
      g_ptr_array_unref(group);
      continue;
    }
    GArray *saved_bind = fn->bind;
    uint32_t rule = fn->rule;

    /* the list, in the lead's context; or the list a filter rule goes over, in its own */
    fn->bind = g_array_copy(lead->bind);
    fn->rule = lead->rule;
    AstNode *src = lead->n->kids[1];
    AstNode *frule = filter_rule(fn, src);
    GArray *ibind = NULL;
    uint32_t irule = NONE, list;
    if (frule) {
      RuleGroup *g = g_ptr_array_index(c->rules, src->sym);
      ibind = g_array_new(FALSE, FALSE, sizeof(uint32_t));
      for (uint32_t a = 0; a < src->nkids; a++) {
        uint32_t r = local_reg(fn, src->kids[a]);
        g_array_append_val(ibind, r);
      }
      irule = rule_of(g);
      GArray *lb = fn->bind;
      fn->bind = ibind;
      fn->rule = irule;
      list = gen(fn, frule->kids[1]);
      fn->bind = lb;
    } else {
      list = gen(fn, src);
    }
    g_array_unref(fn->bind);
    fn->bind = saved_bind;
    fn->rule = rule;
    uint32_t e = new_reg(fn, comp_arg(c, src->type));
    new_reg(fn, REG_TYPE_INT); /* e + 1: the loop's index */
    uint32_t *acc = g_new0(uint32_t, group->len);
    uint32_t one = NONE;
    for (guint k = 0; k < group->len; k++) {
      Fusable *f = g_ptr_array_index(group, k);
      acc[k] = loadk_mut(fn, f->n, f->n->type, 0);
      if (f->n->op == AST_COMPR_COUNT && one == NONE)
        one = loadk(fn, f->n, REG_TYPE_INT, 1);
    }

    /* the conditions all filters start with, by value key with the element bound */
    GPtrArray **conj = g_new0(GPtrArray *, group->len);
    GArray **binds = g_new0(GArray *, group->len);
    for (guint k = 0; k < group->len; k++) {
      Fusable *f = g_ptr_array_index(group, k);
      conj[k] = g_ptr_array_new();
      conjuncts(f->n->kids[2], conj[k]);
      fn->bind = binds[k] = g_array_copy(f->bind);
      bind(fn, f->n->sym, e);
    }
    guint common = G_MAXUINT;
    for (guint k = 0; k < group->len; k++)
      common = MIN(common, conj[k]->len);
    for (guint j = 0; j < common; j++) {
      char *want = NULL;
      bool same = true;
      for (guint k = 0; k < group->len && same; k++) {
        fn->bind = binds[k];
        char *key = value_key(fn, g_ptr_array_index(conj[k], j));
        same = key && (!want || strcmp(key, want) == 0);
        if (!want)
          want = key;
        else
          g_free(key);
      }
      g_free(want);
      if (!same) {
        common = j;
        break;
      }
    }

    Fusable *f0 = g_ptr_array_index(group, 0);
    uint32_t loop = emit(fn, f0->n, REG_OP_LOOP, e, list, 0);
    Jumps *next = jumps_new();
    uint32_t level = fn->level;
    region_push(fn);
    if (frule) {
      /* the filter rule's condition first, as the rule would test it */
      fn->bind = ibind;
      fn->rule = irule;
      bind(fn, frule->sym, e);
      gen_branch(fn, frule->kids[2], false, next);
      region_push(fn);
      g_array_unref(ibind);
    }
    fn->bind = binds[0];
    fn->rule = f0->rule;
    for (guint j = 0; j < common; j++) {
      gen_branch(fn, g_ptr_array_index(conj[0], j), false, next);
      region_push(fn);
    }
    /* The sums with no condition of their own first, in the loop body's region: what
     * they compute (a call such as f(a)) is then at hand for the filtered ones after them. */
    bool *done_k = g_new0(bool, group->len);
    for (guint k = 0; k < group->len; k++) {
      Fusable *f = g_ptr_array_index(group, k);
      if (conj[k]->len != common)
        continue;
      fn->bind = binds[k];
      fn->rule = f->rule;
      gen_accumulate(fn, f->n, acc[k], one);
      done_k[k] = true;
    }
    for (guint k = 0; k < group->len; k++) {
      Fusable *f = g_ptr_array_index(group, k);
      if (done_k[k])
        continue;
      if (k + 1 < group->len && !done_k[k + 1] && conj[k]->len == common + 1 && conj[k + 1]->len == common + 1) {
        /* 'waarvoor P en X' beside 'waarvoor P en niet X' (R1's formal and informal
         * hours): one test of X and an else */
        int pos = complementary(fn, g_ptr_array_index(conj[k], common), binds[k],
                                g_ptr_array_index(conj[k + 1], common), binds[k + 1]);
        if (pos >= 0) {
          guint kp = pos == 0 ? k : k + 1, kn = pos == 0 ? k + 1 : k;
          Fusable *fp = g_ptr_array_index(group, kp), *fneg = g_ptr_array_index(group, kn);
          Jumps *other = jumps_new(), *done = jumps_new();
          uint32_t inner = fn->level;
          fn->bind = binds[kp];
          fn->rule = fp->rule;
          region_push(fn);
          gen_branch(fn, g_ptr_array_index(conj[kp], common), false, other);
          region_push(fn);
          gen_accumulate(fn, fp->n, acc[kp], one);
          add_jump(done, emit(fn, fp->n, REG_OP_JMP, 0, 0, 0));
          region_pop_to(fn, inner);
          patch(fn, other, here(fn));
          fn->bind = binds[kn];
          fn->rule = fneg->rule;
          region_push(fn);
          gen_accumulate(fn, fneg->n, acc[kn], one);
          region_pop_to(fn, inner);
          patch(fn, done, here(fn));
          g_array_unref(other);
          g_array_unref(done);
          k++;
          continue;
        }
      }
      fn->bind = binds[k];
      fn->rule = f->rule;
      Jumps *skip = jumps_new();
      uint32_t inner = fn->level;
      region_push(fn);
      for (guint j = common; j < conj[k]->len; j++) {
        gen_branch(fn, g_ptr_array_index(conj[k], j), false, skip);
        region_push(fn);
      }
      gen_accumulate(fn, f->n, acc[k], one);
      region_pop_to(fn, inner);
      patch(fn, skip, here(fn));
      g_array_unref(skip);
    }
    region_pop_to(fn, level);
    fn->bind = saved_bind;
    fn->rule = rule;
    patch(fn, next, here(fn));
    uint32_t next_pc = emit(fn, f0->n, REG_OP_NEXT, e, list, loop + 1);
    g_array_index(fn->code, uint64_t, loop) = REG_INSN(REG_OP_LOOP, e, list, next_pc + 1);
    g_array_unref(next);

    for (guint k = 0; k < group->len; k++) {
      Fusable *f = g_ptr_array_index(group, k);
      cse_add(fn, f->key, acc[k]);
      g_free(f->src_key); /* done */
      f->src_key = NULL;
      g_ptr_array_unref(conj[k]);
      g_array_unref(binds[k]);
    }
    g_free(conj);
    g_free(binds);
    g_free(acc);
    g_free(done_k);
    g_ptr_array_unref(group);
  }
  g_ptr_array_unref(found);
  fn->fresh = NONE;
}

/* The value of @body pushed onto list @acc of type @T. */
static void
gen_push(Fn *fn, AstNode *body, uint32_t acc, uint32_t T)
{
  uint32_t v = gen_want(fn, body, comp_arg(fn->c, T));
  emit(fn, body, REG_OP_LPUSH, acc, v, 0);
}

/* Loops over every member of an enumeration of at most this many members are unrolled
 * in bodies for untraced runs: each copy of the body has its member as a constant, so
 * that choices on it fold (const_cond). */
#define UNROLL_MAX_MEMBERS 8

/* The number of members of the enumeration a loop goes over, or 0 when not to unroll. */
static uint32_t
unroll_members(Fn *fn, const AstNode *n)
{
  const AstNode *src = n->kids[1];
  if (!fn->plain || src->kind != AST_NAME || src->sym_kind != SYM_ENUM_TYPE ||
      (n->op != AST_COMPR_LIST && n->op != AST_COMPR_ALL && n->op != AST_COMPR_ANY))
    return 0;
  for (guint i = 0; i < fn->c->enums->len; i++) {
    EnumSym *e = g_ptr_array_index(fn->c->enums, i);
    if (e->index == src->sym) {
      uint32_t nm = g_hash_table_size(e->members);
      return nm <= UNROLL_MAX_MEMBERS ? nm : 0;
    }
  }
  return 0;
}

/* [body voor x in E waarvoor filter], alle(...), een(...) over the @nm members of E, one
 * copy of the body per member. */
static uint32_t
gen_compr_unrolled(Fn *fn, AstNode *n, uint32_t nm)
{
  AstNode *body = n->kids[0], *filter = n->kids[2];
  RegCompiler *c = fn->c;
  uint32_t T = n->type, elem_type = comp_arg(c, n->kids[1]->type);
  uint32_t acc;
  if (n->op == AST_COMPR_LIST)
    acc = emit_new(fn, n, T, REG_OP_LNEW, loadk(fn, n, REG_TYPE_INT, nm), 0);
  else
    acc = new_reg(fn, REG_TYPE_BOOL);
  /* alle: out on the first false, een: on the first true */
  Jumps *out = jumps_new();
  uint32_t level = fn->level;
  /* a value computed in one copy holds in the copies after it (they run only after it
   * did), not after the loop, which an alle or een may leave early */
  region_push(fn);
  for (uint32_t m = 0; m < nm; m++) {
    bind(fn, n->sym, loadk(fn, n, elem_type, m));
    Jumps *skip = jumps_new();
    uint32_t inner = fn->level;
    if (filter)
      gen_branch(fn, filter, false, skip);
    switch ((AstCompr) n->op) {
    case AST_COMPR_LIST:
      gen_push(fn, body, acc, T);
      break;
    case AST_COMPR_ALL:
    case AST_COMPR_ANY:
      gen_branch(fn, body, n->op == AST_COMPR_ANY, out);
      break;
    default:
      break;
    }
    if (skip->len) {
      /* the filter's values hold only where it passed */
      region_pop_to(fn, inner);
      patch(fn, skip, here(fn));
    }
    g_array_unref(skip);
  }
  region_pop_to(fn, level);
  if (n->op != AST_COMPR_LIST) {
    Jumps *end = jumps_new();
    bool all = n->op == AST_COMPR_ALL;
    emit(fn, n, REG_OP_LOADK, acc, reg_builder_const(c->b, all), 0);
    add_jump(end, emit(fn, n, REG_OP_JMP, 0, 0, 0));
    patch(fn, out, here(fn));
    emit(fn, n, REG_OP_LOADK, acc, reg_builder_const(c->b, !all), 0);
    patch(fn, end, here(fn));
    g_array_unref(end);
  }
  g_array_unref(out);
  fn->fresh = NONE;
  return acc;
}

static uint32_t
gen_compr(Fn *fn, AstNode *n)
{
  AstNode *body = n->kids[0], *src = n->kids[1], *filter = n->kids[2], *dflt = n->kids[3];
  RegCompiler *c = fn->c;
  uint32_t T = n->type;
  if (n->op == AST_COMPR_SUM || n->op == AST_COMPR_COUNT) {
    /* computed already, in a loop shared with other sums (fuse_sums) */
    char *key = compr_key(fn, n);
    uint32_t r = cse_find(fn, key);
    g_free(key);
    if (r != NONE) {
      fn->fresh = NONE;
      return r;
    }
  }
  uint32_t nm = unroll_members(fn, n);
  if (nm)
    return gen_compr_unrolled(fn, n, nm);
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
    acc = loadk_mut(fn, n, T, 0);
    break;
  case AST_COMPR_COUNT:
    acc = loadk_mut(fn, n, REG_TYPE_INT, 0);
    one = loadk(fn, n, REG_TYPE_INT, 1);
    break;
  case AST_COMPR_MIN:
  case AST_COMPR_MAX:
    acc = loadk_mut(fn, n, T, 0);
    have = loadk_mut(fn, n, REG_TYPE_BOOL, 0);
    break;
  case AST_COMPR_ALL:
    acc = loadk_mut(fn, n, REG_TYPE_BOOL, 1);
    break;
  case AST_COMPR_ANY:
    acc = loadk_mut(fn, n, REG_TYPE_BOOL, 0);
    break;
  case AST_COMPR_FIRST:
    acc = new_reg(fn, T);
    break;
  }

  uint32_t loop = emit(fn, n, REG_OP_LOOP, e, list, 0);
  Jumps *next = jumps_new(), *brk = jumps_new();
  uint32_t level = fn->level;
  region_push(fn);
  if (filter)
    gen_branch(fn, filter, false, next);
  switch ((AstCompr) n->op) {
  case AST_COMPR_LIST:
    gen_push(fn, body, acc, T);
    break;
  case AST_COMPR_SUM:
  case AST_COMPR_COUNT:
    gen_accumulate(fn, n, acc, one);
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
  region_pop_to(fn, level);
  patch(fn, next, here(fn));
  uint32_t next_pc = emit(fn, n, REG_OP_NEXT, e, list, loop + 1);
  uint64_t *lw = &g_array_index(fn->code, uint64_t, loop);
  *lw = REG_INSN(REG_OP_LOOP, e, list, next_pc + 1);

  if (n->op == AST_COMPR_FIRST) {
    region_push(fn);
    gen_to(fn, dflt, T, acc);
    region_pop(fn);
    patch(fn, brk, here(fn));
  } else if (n->op == AST_COMPR_MIN || n->op == AST_COMPR_MAX) {
    Jumps *done = jumps_new();
    add_jump(done, emit(fn, n, REG_OP_JT, have, 0, 0));
    region_push(fn);
    gen_to(fn, dflt, T, acc);
    region_pop(fn);
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

/* als ... dan ... anders ..., each branch writing register @t. */
static void
gen_if(Fn *fn, AstNode *n, uint32_t t)
{
  bool known;
  if (const_cond(fn, n->kids[0], &known)) {
    gen_to(fn, n->kids[known ? 1 : 2], n->type, t);
    return;
  }
  Jumps *els = jumps_new(), *end = jumps_new();
  uint32_t level = fn->level;
  gen_branch(fn, n->kids[0], false, els);
  region_push(fn);
  gen_to(fn, n->kids[1], n->type, t);
  region_pop_to(fn, level);
  add_jump(end, emit(fn, n, REG_OP_JMP, 0, 0, 0));
  patch(fn, els, here(fn));
  region_push(fn);
  gen_to(fn, n->kids[2], n->type, t);
  region_pop(fn);
  patch(fn, end, here(fn));
  g_array_unref(els);
  g_array_unref(end);
  fn->fresh = NONE;
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
    return invariant_reg(fn, n);
  case AST_NAME:
  case AST_FIELD:
    switch (n->sym_kind) {
    case SYM_LOCAL:
      fn->fresh = NONE;
      return g_array_index(fn->bind, uint32_t, n->sym);
    case SYM_RULE:
      return rule_ref(fn, n, g_ptr_array_index(c->rules, n->sym), NULL, NULL);
    case SYM_INPUT:
      return invariant_reg(fn, n);
    case SYM_ENUM_TYPE:
      return emit_new(fn, n, n->type, REG_OP_ENUMLIST, 0, 0);
    case SYM_MEMBER:
      return loadk(fn, n, n->type, n->sym2);
    default:
      break;
    }
    if (n->kind == AST_FIELD) {
      uint32_t r = invariant_reg(fn, n);
      if (r != NONE)
        return r;
      char *key = value_key(fn, n);
      r = cse_find(fn, key);
      if (r == NONE) {
        uint32_t b = gen(fn, n->kids[0]);
        r = emit_new(fn, n, n->type, REG_OP_GETF, b, n->sym);
        cse_add(fn, key, r);
      } else {
        fn->fresh = NONE;
      }
      g_free(key);
      return r;
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
    case OP_IN:
    case OP_NOTIN: {
      bool known;
      if (const_cond(fn, n, &known))
        return loadk(fn, n, REG_TYPE_BOOL, known);
      return n->op == OP_IN || n->op == OP_NOTIN ? gen_in(fn, n) : gen_compare(fn, n);
    }
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
    gen_if(fn, n, t);
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
    fuse_sums(fn, n);
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
fn_begin(RegCompiler *c, GArray *file_strings, uint32_t rule, bool plain)
{
  Fn *fn = g_new0(Fn, 1);
  fn->c = c;
  fn->code = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  fn->locs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->rtypes = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->bind = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->conds = g_array_new(FALSE, FALSE, sizeof(RegCond));
  fn->pro = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  fn->pro_locs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  fn->consts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  fn->kval = g_hash_table_new(g_direct_hash, g_direct_equal);
  fn->cse = g_array_new(FALSE, FALSE, sizeof(Cse));
  fn->rule = rule;
  fn->fresh = NONE;
  fn->file_strings = file_strings;
  fn->plain = plain;
  return fn;
}

/* Operand kinds of each opcode (opcodes-private.h), for the clean-up below. */
static const char op_kinds[REG_OP__COUNT][3] = {
#define REG_OP_KINDS(name, ka, kb, kc, meaning) { ka, kb, kc },
  REG_OPCODES(REG_OP_KINDS)
#undef REG_OP_KINDS
};

/* The range of registers instruction @w reads besides its operands: a CALL's or BUILTIN's
 * arguments, a RECORD's fields; FALSE when none. */
static bool
insn_range(Fn *fn, uint64_t w, uint32_t *first, uint32_t *count)
{
  unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w), b = REG_INSN_B(w), c = REG_INSN_C(w);
  if (op == REG_OP_RECORD && a < fn->rtypes->len) {
    uint32_t t = g_array_index(fn->rtypes, uint32_t, a);
    *first = b;
    *count = g_array_index(fn->c->b->records, RegRecord, comp_arg(fn->c, t)).nfields;
    return true;
  }
  if (op == REG_OP_BUILTIN) {
    *first = c;
    *count = 3; /* (at most) */
    return true;
  }
  if (op == REG_OP_CALL && b < fn->c->b->funcs->len) {
    /* (callees are generated before their callers) */
    *first = c;
    *count = g_array_index(fn->c->b->funcs, RegFunction, b).nparams;
    return true;
  }
  return false;
}

/* Counts in @named (zeroed, one per register) how often fn->code names each register: as
 * an operand (read or written), in the range of a CALL, BUILTIN or RECORD (insn_range), or
 * as an operand that explanations read at a compared condition site. */
static void
count_named(Fn *fn, uint32_t *named)
{
  uint32_t nregs = fn->rtypes->len;
  for (guint pc = 0; pc < fn->code->len; pc++) {
    uint64_t w = g_array_index(fn->code, uint64_t, pc);
    unsigned op = REG_INSN_OP(w);
    unsigned v[3] = { REG_INSN_A(w), REG_INSN_B(w), REG_INSN_C(w) };
    for (int i = 0; i < 3; i++)
      if ((op_kinds[op][i] == 'R' || op_kinds[op][i] == 'P') && v[i] < nregs)
        named[v[i]]++;
    uint32_t first, count;
    if (insn_range(fn, w, &first, &count))
      for (uint32_t r = first; r < first + count && r < nregs; r++)
        named[r]++;
  }
  for (guint i = 0; i < fn->conds->len; i++) {
    const RegCond *c = &g_array_index(fn->conds, RegCond, i);
    if ((c->cmp & 0xff) != REG_CMP_NONE) {
      if (c->lhs < nregs)
        named[c->lhs]++;
      if (c->rhs < nregs)
        named[c->rhs]++;
    }
  }
}

/*
 * Before the prologue is prepended: a copy of a prologue constant becomes a load of the
 * constant itself, and prologue loads that nothing reads any more go (they have no
 * effects: LOADK, LOADINPUT, LOADDATE, GETF). Every call of the function ran them all.
 */
static void
prune_prologue(Fn *fn)
{
  uint32_t nregs = fn->rtypes->len;
  int64_t *konst = g_new(int64_t, nregs); /* register -> constant index + 1, or 0 */
  memset(konst, 0, nregs * sizeof *konst);
  for (guint i = 0; i < fn->pro->len; i++) {
    uint64_t w = g_array_index(fn->pro, uint64_t, i);
    if (REG_INSN_OP(w) == REG_OP_LOADK && REG_INSN_A(w) < nregs)
      konst[REG_INSN_A(w)] = (int64_t) REG_INSN_B(w) + 1;
  }
  for (guint i = 0; i < fn->code->len; i++) {
    uint64_t *w = &g_array_index(fn->code, uint64_t, i);
    if (REG_INSN_OP(*w) == REG_OP_MOVE && REG_INSN_B(*w) < nregs && konst[REG_INSN_B(*w)])
      *w = REG_INSN(REG_OP_LOADK, REG_INSN_A(*w), (uint64_t) (konst[REG_INSN_B(*w)] - 1), 0);
  }
  g_free(konst);

  uint32_t *used = g_new0(uint32_t, nregs + 1);
  for (bool changed = true; changed;) {
    changed = false;
    memset(used, 0, nregs * sizeof *used);
    count_named(fn, used);
    for (guint i = 0; i < fn->pro->len; i++) {
      uint64_t w = g_array_index(fn->pro, uint64_t, i);
      /* a prologue instruction's a is its result; b of a GETF is what it reads */
      if (REG_INSN_OP(w) == REG_OP_GETF && REG_INSN_B(w) < nregs)
        used[REG_INSN_B(w)]++;
    }
    for (guint i = fn->pro->len; i-- > 0;) {
      uint64_t w = g_array_index(fn->pro, uint64_t, i);
      unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w);
      bool pure = op == REG_OP_LOADK || op == REG_OP_LOADINPUT || op == REG_OP_LOADDATE ||
                  op == REG_OP_GETF;
      if (pure && a < nregs && !used[a]) {
        g_array_remove_index(fn->pro, i);
        g_array_remove_index(fn->pro_locs, i);
        changed = true;
      }
    }
  }
  g_free(used);
}

/* ---- jumps cleaned up ---------------------------------------------------------- */

/* The jump target of instruction @w, or NONE. */
static uint32_t
jump_target(uint64_t w)
{
  unsigned op = REG_INSN_OP(w);
  if (op == REG_OP_JMP)
    return REG_INSN_A(w);
  if (op == REG_OP_JF || op == REG_OP_JT)
    return REG_INSN_B(w);
  if (op == REG_OP_LOOP || op == REG_OP_NEXT || REG_OP_IS_CJUMP(op))
    return REG_INSN_C(w);
  return NONE;
}

static uint64_t
with_target(uint64_t w, uint32_t t)
{
  unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w), b = REG_INSN_B(w), c = REG_INSN_C(w);
  if (op == REG_OP_JMP)
    a = t;
  else if (op == REG_OP_JF || op == REG_OP_JT)
    b = t;
  else
    c = t;
  return REG_INSN(op, a, b, c);
}

/* The conditional jump taken exactly when @w is not, to @t; false if there is none. */
static bool
inverted(uint64_t w, uint32_t t, uint64_t *out)
{
  unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w), b = REG_INSN_B(w);
  static const RegOpcode pairs[][2] = {
    { REG_OP_JEQ, REG_OP_JNE },     { REG_OP_JTEQ, REG_OP_JTNE },     { REG_OP_JFF, REG_OP_JTF },
    { REG_OP_JEMPTY, REG_OP_JNEMPTY }, { REG_OP_JTIN, REG_OP_JNTIN }, { REG_OP_JINSET, REG_OP_JNINSET },
  };
  if (op == REG_OP_JF || op == REG_OP_JT) {
    *out = REG_INSN(op == REG_OP_JF ? REG_OP_JT : REG_OP_JF, a, t, 0);
    return true;
  }
  if (op == REG_OP_JLT || op == REG_OP_JLE) {
    /* not (a < b) is b <= a; not (a <= b) is b < a */
    *out = REG_INSN(op == REG_OP_JLT ? REG_OP_JLE : REG_OP_JLT, b, a, t);
    return true;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++)
    for (int k = 0; k < 2; k++)
      if (op == pairs[i][k]) {
        *out = REG_INSN(pairs[i][1 - k], a, b, t);
        return true;
      }
  return false;
}

/* Marks in @target (n + 1 entries, cleared first) the instructions of @w that a jump
 * reaches, and in @site, when not NULL, the condition sites of @fn. */
static void
mark_targets(Fn *fn, const uint64_t *w, guint n, bool *target, bool *site)
{
  memset(target, 0, (n + 1) * sizeof(bool));
  for (guint pc = 0; pc < n; pc++) {
    uint32_t t = jump_target(w[pc]);
    if (t != NONE && t <= n)
      target[t] = true;
  }
  for (guint i = 0; site && i < fn->conds->len; i++)
    if (g_array_index(fn->conds, RegCond, i).pc <= n)
      site[g_array_index(fn->conds, RegCond, i).pc] = true;
}

/*
 * Jumps of the finished function made shorter, without changing what it computes: a jump
 * to a JMP goes where that one goes; "if X jump over the next JMP" becomes "if not X jump
 * where it goes"; a JMP to the next instruction and code no path reaches are dropped
 * (but not a loop's LOOP and NEXT).
 * Condition sites (coverage, explanations) keep their instruction: a jump that is one is
 * not inverted, and the table of sites and the line table follow the instructions.
 */
static void
clean_jumps(Fn *fn)
{
  GArray *code = fn->code;
  guint n = code->len;
  if (n == 0)
    return;
  uint64_t *w = (uint64_t *) (void *) code->data;
  bool *site = g_new0(bool, n + 1), *target = g_new0(bool, n + 1), *keep = g_new0(bool, n + 1);
  mark_targets(fn, w, n, target, site);
  for (int round = 0; round < 4; round++) {
    /* to the end of a chain of JMPs (forward only, so chains end) */
    for (guint pc = 0; pc < n; pc++) {
      uint32_t t = jump_target(w[pc]);
      unsigned op = REG_INSN_OP(w[pc]);
      if (t == NONE || op == REG_OP_NEXT || op == REG_OP_LOOP)
        continue;
      while (t < n && REG_INSN_OP(w[t]) == REG_OP_JMP && REG_INSN_A(w[t]) > t)
        t = REG_INSN_A(w[t]);
      w[pc] = with_target(w[pc], t);
    }
    mark_targets(fn, w, n, target, NULL);
    /* reachable instructions; "Jcc -> pc+2; JMP L" becomes "J!cc -> L" */
    bool changed = false, live = true;
    for (guint pc = 0; pc < n; pc++) {
      live = live || target[pc];
      unsigned op = REG_INSN_OP(w[pc]);
      /* (a loop keeps its LOOP and NEXT, reached or not: they delimit it for the verifier) */
      keep[pc] = live || op == REG_OP_LOOP || op == REG_OP_NEXT;
      if (!live)
        continue;
      uint64_t inv;
      if (pc + 1 < n && !site[pc] && !target[pc + 1] && jump_target(w[pc]) == pc + 2 &&
          op != REG_OP_JMP && op != REG_OP_LOOP && op != REG_OP_NEXT &&
          REG_INSN_OP(w[pc + 1]) == REG_OP_JMP &&
          inverted(w[pc], REG_INSN_A(w[pc + 1]), &inv)) {
        w[pc] = inv;
        w[pc + 1] = REG_INSN(REG_OP_JMP, pc + 2, 0, 0); /* to the next: dropped below */
        changed = true;
      }
      op = REG_INSN_OP(w[pc]);
      if (op == REG_OP_JMP && REG_INSN_A(w[pc]) == pc + 1 && !site[pc]) {
        keep[pc] = false; /* (and what follows is reached) */
        changed = true;
      } else if (op == REG_OP_JMP || op == REG_OP_RET || op == REG_OP_FAIL) {
        live = false;
      }
    }
    for (guint pc = 0; pc < n; pc++)
      changed = changed || !keep[pc];
    if (!changed)
      break;
    /* drop what is not kept: a target moves to the next kept instruction */
    uint32_t *to = g_new0(uint32_t, n + 1);
    uint32_t m = 0;
    for (guint pc = 0; pc <= n; pc++) {
      to[pc] = m;
      if (pc < n && keep[pc])
        m++;
    }
    uint32_t k = 0;
    for (guint pc = 0; pc < n; pc++) {
      if (!keep[pc])
        continue;
      uint32_t t = jump_target(w[pc]);
      w[k] = t == NONE ? w[pc] : with_target(w[pc], to[t]);
      g_array_index(fn->locs, uint32_t, k) = g_array_index(fn->locs, uint32_t, pc);
      site[k] = site[pc];
      k++;
    }
    for (guint i = 0; i < fn->conds->len; i++) {
      RegCond *c = &g_array_index(fn->conds, RegCond, i);
      c->pc = to[c->pc];
    }
    g_free(to);
    n = m;
    g_array_set_size(code, n);
    g_array_set_size(fn->locs, n);
    w = (uint64_t *) (void *) code->data;
  }
  g_free(site);
  g_free(target);
  g_free(keep);
}

/*
 * "X t, ...; MOVE d, t", where nothing else names t (count_named): X writes d itself and
 * the MOVE becomes a JMP to the next instruction (dropped by clean_jumps). A MOVE that is
 * a condition site stays: the site's value is its instruction's destination.
 */
static void
coalesce_moves(Fn *fn)
{
  uint32_t nregs = fn->rtypes->len;
  guint n = fn->code->len;
  uint64_t *w = (uint64_t *) (void *) fn->code->data;
  uint32_t *named = g_new0(uint32_t, nregs + 1);
  count_named(fn, named);
  bool *target = g_new0(bool, n + 1), *site = g_new0(bool, n + 1);
  mark_targets(fn, w, n, target, site);
  for (guint pc = 1; pc < n; pc++) {
    if (REG_INSN_OP(w[pc]) != REG_OP_MOVE || target[pc] || site[pc])
      continue;
    uint32_t d = REG_INSN_A(w[pc]), t = REG_INSN_B(w[pc]);
    uint64_t x = w[pc - 1];
    if (t >= nregs || d >= nregs || t == d || t < fn->nparams || named[t] != 2 ||
        !writes_a_only(REG_INSN_OP(x)) || REG_INSN_A(x) != t ||
        g_array_index(fn->rtypes, uint32_t, t) != g_array_index(fn->rtypes, uint32_t, d))
      continue;
    w[pc - 1] = REG_INSN(REG_INSN_OP(x), d, REG_INSN_B(x), REG_INSN_C(x));
    w[pc] = REG_INSN(REG_OP_JMP, pc + 1, 0, 0);
    named[t] = 0;
  }
  g_free(named);
  g_free(target);
  g_free(site);
}

/* Where register @r is named at @pc: +1 as a read operand, +2 as the written one (a of
 * an instruction that writes a), +4 in a range (CALL arguments, RECORD fields, BUILTIN
 * arguments), +8 as a loop's element or index; 0 when not. */
static unsigned
named_at(Fn *fn, guint pc, uint32_t r)
{
  uint64_t w = g_array_index(fn->code, uint64_t, pc);
  unsigned op = REG_INSN_OP(w), how = 0;
  unsigned v[3] = { REG_INSN_A(w), REG_INSN_B(w), REG_INSN_C(w) };
  for (int i = 0; i < 3; i++)
    if ((op_kinds[op][i] == 'R' || op_kinds[op][i] == 'P') && v[i] == r)
      how |= i == 0 && writes_a_only(op) ? 2 : 1;
  if ((op == REG_OP_LOOP || op == REG_OP_NEXT) && (r == v[0] || r == v[0] + 1))
    how |= 8;
  uint32_t first, count;
  if (insn_range(fn, w, &first, &count) && r >= first && r < first + count)
    how |= 4;
  return how;
}

/* Whether @a and @b are two registers of the function's own (not parameters) of one type:
 * one may stand for the other. */
static bool
same_type_locals(Fn *fn, uint32_t a, uint32_t b)
{
  uint32_t nregs = fn->rtypes->len;
  return a != b && a < nregs && b < nregs && a >= fn->nparams && b >= fn->nparams &&
         g_array_index(fn->rtypes, uint32_t, a) == g_array_index(fn->rtypes, uint32_t, b);
}

/* Register operands (not ranges) naming @from in instructions [lo, hi) name @to instead. */
static void
rename_operands(Fn *fn, guint lo, guint hi, uint32_t from, uint32_t to)
{
  uint64_t *w = (uint64_t *) (void *) fn->code->data;
  for (guint j = lo; j < hi; j++) {
    unsigned op = REG_INSN_OP(w[j]);
    unsigned v[3] = { REG_INSN_A(w[j]), REG_INSN_B(w[j]), REG_INSN_C(w[j]) };
    for (int i = 0; i < 3; i++)
      if ((op_kinds[op][i] == 'R' || op_kinds[op][i] == 'P') && v[i] == from)
        v[i] = to;
    w[j] = REG_INSN(op, v[0], v[1], v[2]);
  }
}

/*
 * Bodies for untraced runs: "MOVE d, t" where t is named only before it and d only read
 * after it, and no jump goes past it (so every path that reads d came through it since t
 * was last written): t is renamed d and the MOVE goes. This takes the copies of sums
 * computed in a loop into the fields of the record they make (voortgang's four).
 */
static void
rename_moves(Fn *fn)
{
  guint n = fn->code->len;
  uint64_t *w = (uint64_t *) (void *) fn->code->data;
  for (guint pc = 0; pc < n; pc++) {
    if (REG_INSN_OP(w[pc]) != REG_OP_MOVE)
      continue;
    uint32_t d = REG_INSN_A(w[pc]), t = REG_INSN_B(w[pc]);
    if (!same_type_locals(fn, t, d))
      continue;
    bool ok = true;
    for (guint j = 0; j < n && ok; j++) {
      uint32_t target = jump_target(w[j]);
      if (target != NONE && ((j < pc && target > pc) || (j > pc && target <= pc)))
        ok = false;
      if (j == pc)
        continue;
      unsigned ht = named_at(fn, j, t), hd = named_at(fn, j, d);
      if ((ht && (j > pc || (ht & 12))) || (hd && (j < pc || (hd & 10))))
        ok = false;
    }
    if (!ok)
      continue;
    rename_operands(fn, 0, pc, t, d);
    w[pc] = REG_INSN(REG_OP_JMP, pc + 1, 0, 0); /* (dropped by clean_jumps) */
  }
}

/* Whether instruction @w writes register @r: as its result, as an accumulator (ADDF), as the
 * list it appends to (LPUSH), or as a loop's element or index. */
static bool
writes_reg(uint64_t w, uint32_t r)
{
  unsigned op = REG_INSN_OP(w), a = REG_INSN_A(w);
  if (op == REG_OP_LOOP || op == REG_OP_NEXT)
    return r == a || r == a + 1;
  return a == r && (writes_a_only(op) || op == REG_OP_ADDF || op == REG_OP_LPUSH);
}

/* Whether [lo, hi] of @w is entered at lo only (no jump from elsewhere lands in (lo, hi])
 * and nothing in [lo, hi) jumps back to lo or before: every path from lo to an instruction
 * in (lo, hi] stays in the range, and every path to one came through lo. */
static bool
entered_at(const uint64_t *w, guint n, guint lo, guint hi)
{
  for (guint j = 0; j < n; j++) {
    uint32_t t = jump_target(w[j]);
    if (t == NONE)
      continue;
    bool inside = j >= lo && j < hi;
    if ((!inside && t > lo && t <= hi) || (inside && t <= lo))
      return false;
  }
  return true;
}

/*
 * Bodies for untraced runs: "GETF d, x, .f" where an earlier "GETF s, x, .f" ran on every
 * path to it since x last changed, reads s instead. The two loads come from rules inlined
 * one after the other (valideringsregels, then the sums of voortgang, each reading
 * contact_hours and domain), whose regions the CSE table (cse_find) does not share.
 * Conditions: s is written only by its GETF and d only by this one; neither is a loop's
 * register or in a range; x is not written between them; [q, p] is entered at q only and
 * the reads of d lie in a range entered at p only, so s still holds what it held at p.
 */
static void
reuse_fields(Fn *fn)
{
  guint n = fn->code->len;
  uint64_t *w = (uint64_t *) (void *) fn->code->data;
  for (guint p = 0; p < n; p++) {
    if (REG_INSN_OP(w[p]) != REG_OP_GETF)
      continue;
    uint32_t d = REG_INSN_A(w[p]), x = REG_INSN_B(w[p]), f = REG_INSN_C(w[p]);
    guint q = p;
    while (q-- > 0)
      if (REG_INSN_OP(w[q]) == REG_OP_GETF && REG_INSN_B(w[q]) == x && REG_INSN_C(w[q]) == f)
        break;
    if (q == G_MAXUINT)
      continue;
    uint32_t s = REG_INSN_A(w[q]);
    if (s == x || !same_type_locals(fn, s, d))
      continue;
    bool ok = true;
    guint last = p;
    for (guint j = 0; j < n && ok; j++) {
      unsigned hd = named_at(fn, j, d), hs = named_at(fn, j, s);
      if ((j != q && writes_reg(w[j], s)) || (j != p && writes_reg(w[j], d)) ||
          ((hd | hs) & 12) || (hd && j < p) || (j > q && j < p && writes_reg(w[j], x)))
        ok = false;
      if (hd && j > p)
        last = j;
    }
    if (!ok || !entered_at(w, n, q, p) || !entered_at(w, n, p, last))
      continue;
    rename_operands(fn, p + 1, last + 1, d, s);
    w[p] = REG_INSN(REG_OP_JMP, p + 1, 0, 0); /* (dropped by clean_jumps) */
  }
}

/* The prologue goes first: every jump target and condition site moves down by its length. */
static void
fn_finish(Fn *fn)
{
  if (fn->plain)
    g_array_set_size(fn->conds, 0); /* (untraced runs have no condition sites) */
  prune_prologue(fn);
  uint32_t np = fn->pro->len;
  if (np) {
    for (guint i = 0; i < fn->code->len; i++) {
      uint64_t *w = &g_array_index(fn->code, uint64_t, i);
      uint32_t t = jump_target(*w);
      if (t != NONE)
        *w = with_target(*w, t + np);
    }
    g_array_prepend_vals(fn->code, fn->pro->data, np);
    g_array_prepend_vals(fn->locs, fn->pro_locs->data, np);
    for (guint i = 0; i < fn->conds->len; i++)
      g_array_index(fn->conds, RegCond, i).pc += np;
  }
  coalesce_moves(fn);
  if (fn->plain)
    rename_moves(fn);
  clean_jumps(fn);
  if (fn->plain) {
    /* (on jumps already cleaned: a jump to a JMP enters the range it only passes) */
    reuse_fields(fn);
    clean_jumps(fn);
  }
}

static void
fn_free(Fn *fn)
{
  g_array_unref(fn->code);
  g_array_unref(fn->locs);
  g_array_unref(fn->rtypes);
  g_array_unref(fn->bind);
  g_array_unref(fn->conds);
  g_array_unref(fn->pro);
  g_array_unref(fn->pro_locs);
  g_hash_table_unref(fn->consts);
  g_hash_table_unref(fn->kval);
  for (guint i = 0; i < fn->cse->len; i++)
    g_free(g_array_index(fn->cse, Cse, i).key);
  g_array_unref(fn->cse);
  g_free(fn);
}

/* Appends the finished function to the program; returns its index. A body for untraced
 * runs brings no condition sites (coverage and explanations trace the other) and leaves
 * its rule computed by the other. */
static uint32_t
fn_append(Fn *fn, uint32_t name, uint32_t nparams, uint32_t ret_type)
{
  RegBuilder *b = fn->c->b;
  RegFunction f = { name, fn->rule, nparams, fn->rtypes->len, ret_type,
                    b->reg_types->len, b->code->len, fn->code->len };
  uint32_t index = b->funcs->len;
  g_array_append_val(b->funcs, f);
  g_array_append_vals(b->reg_types, fn->rtypes->data, fn->rtypes->len);
  g_array_append_vals(b->code, fn->code->data, fn->code->len);
  g_array_append_vals(b->insn_locs, fn->locs->data, fn->locs->len);
  for (guint i = 0; !fn->plain && i < fn->conds->len; i++) {
    RegCond cond = g_array_index(fn->conds, RegCond, i);
    cond.func = index;
    g_array_append_val(b->conds, cond);
  }
  if (fn->rule != NONE && !fn->plain)
    g_array_index(b->rules, RegRuleInfo, fn->rule).func = index;
  return index;
}

/* Appends the function to the program; returns its index. */
static uint32_t
fn_end(Fn *fn, const AstNode *at, const char *name, uint32_t nparams, uint32_t ret_type)
{
  fn_finish(fn);
  if (over_limit(fn))
    comp_error(fn->c, REG_E_LIMIT, at,
               _("'%s' compiles to more than 65535 instructions or registers; split it into rules"),
               name);
  uint32_t index = fn_append(fn, reg_builder_string(fn->c->b, name), nparams, ret_type);
  fn_free(fn);
  return index;
}

/* The body for untraced runs of function @traced: appended where it differs (and fits),
 * else @traced itself; returns the function untraced runs use. */
static uint32_t
fn_end_plain(Fn *fn, uint32_t traced)
{
  RegBuilder *b = fn->c->b;
  const RegFunction t = g_array_index(b->funcs, RegFunction, traced);
  fn_finish(fn);
  bool same = fn->code->len == t.ninsns && fn->rtypes->len == t.nregs &&
              memcmp(fn->code->data, &g_array_index(b->code, uint64_t, t.first_insn),
                     t.ninsns * sizeof(uint64_t)) == 0 &&
              memcmp(fn->rtypes->data, &g_array_index(b->reg_types, uint32_t, t.first_reg_type),
                     t.nregs * sizeof(uint32_t)) == 0;
  uint32_t index = traced;
  if (!same && !over_limit(fn)) {
    index = fn_append(fn, t.name, t.nparams, t.ret_type);
    g_array_index(b->plain_of, uint32_t, traced) = index;
  }
  fn_free(fn);
  return index;
}

static uint32_t
add_rule_info(RegCompiler *c, GArray *file_strings, const char *name, RegRuleKind kind,
              const AstNode *decl, AstNode *meta)
{
  Fn tmp = { .c = c, .file_strings = file_strings };
  /* the parameter names, for explanations */
  GString *pn = g_string_new(NULL);
  if (decl->kind == AST_RULE && decl->kids[0])
    for (uint32_t i = 0; i < decl->kids[0]->nkids; i++)
      g_string_append_printf(pn, "%s%s", i ? "," : "", decl->kids[0]->kids[i]->str);
  RegRuleInfo ri = { reg_builder_string(c->b, name), kind, 0, loc_of(&tmp, decl), NONE, NONE, 0,
                     reg_builder_string(c->b, pn->str), 0 };
  g_string_free(pn, TRUE);
  for (uint32_t i = 0; meta && i < meta->nkids; i++) {
    AstNode *m = meta->kids[i];
    if (m->op == AST_META_FROM) {
      ri.has_from = 1;
      ri.from = m->num;
    } else if (m->op == AST_META_BASIS) {
      ri.basis = reg_builder_string(c->b, m->str);
    } else if (m->op == AST_META_EXPLAIN) {
      ri.explain = reg_builder_string(c->b, m->str);
    }
  }
  uint32_t idx = c->b->rules->len;
  g_array_append_val(c->b->rules, ri);
  return idx;
}

/* The function of version @vi of a rule group (rule info @ri), generated. */
static Fn *
version_fn(RegCompiler *c, RuleGroup *g, guint vi, uint32_t ri, GArray *file_strings, bool plain)
{
  AstNode *v = g_ptr_array_index(g->versions, vi);
  Fn *fn = fn_begin(c, file_strings, ri, plain);
  fn->nparams = g->nparams;
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
    r = gen_leaf(fn, body, NULL);
  else
    r = gen_want(fn, body, g->ret_type);
  emit(fn, body, REG_OP_RET, r, 0, 0);
  return fn;
}

/* The function of a parameterless rule with several versions: the version in effect at
 * the peildatum. */
static Fn *
dispatch_fn(RegCompiler *c, RuleGroup *g, GArray *file_strings, bool plain)
{
  AstNode *v0 = g_ptr_array_index(g->versions, 0);
  Fn *fn = fn_begin(c, file_strings, NONE, plain);
  uint32_t d = emit_new(fn, v0, REG_TYPE_DATE, REG_OP_LOADDATE, 0, 0);
  uint32_t t = new_reg(fn, g->ret_type);
  gen_dispatch(fn, v0, g, 0, d, t);
  emit(fn, v0, REG_OP_RET, t, 0, 0);
  return fn;
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
    Fn *fn = version_fn(c, g, vi, ri, file_strings, false);
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
  if (!direct_version(g) && g->nparams == 0) {
    AstNode *v0 = g_ptr_array_index(g->versions, 0);
    Fn *fn = dispatch_fn(c, g, file_strings, false);
    char *name = g_strdup_printf("%s@peildatum", g->name);
    uint32_t fi = fn_end(fn, v0, name, 0, g->ret_type);
    g_free(name);
    RegGlobal gl = { fi };
    g->dispatch_global = c->b->globals->len;
    g_array_append_val(c->b->globals, gl);
  }
}

/* A global computed by @func for untraced runs: @global itself when @func is its function. */
static uint32_t
plain_global(RegBuilder *b, uint32_t global, uint32_t func)
{
  if (g_array_index(b->globals, RegGlobal, global).func == func)
    return global;
  RegGlobal gl = { func };
  g_array_append_val(b->globals, gl);
  return b->globals->len - 1;
}

/* The bodies of a rule group for untraced runs (after gen_group, callees first). */
static void
gen_group_plain(RegCompiler *c, RuleGroup *g, GArray *file_strings)
{
  guint nv = g->versions->len;
  g->plain_funcs = g_new0(uint32_t, nv);
  g->plain_globals = g_new0(uint32_t, nv);
  for (guint vi = 0; vi < nv; vi++) {
    Fn *fn = version_fn(c, g, vi, g->rules[vi], file_strings, true);
    g->plain_funcs[vi] = fn_end_plain(fn, g->funcs[vi]);
    if (g->nparams == 0)
      g->plain_globals[vi] = plain_global(c->b, g->globals[vi], g->plain_funcs[vi]);
  }
  g->plain_dispatch_global = g->dispatch_global;
  if (!direct_version(g) && g->nparams == 0) {
    uint32_t traced = g_array_index(c->b->globals, RegGlobal, g->dispatch_global).func;
    uint32_t fi = fn_end_plain(dispatch_fn(c, g, file_strings, true), traced);
    g->plain_dispatch_global = plain_global(c->b, g->dispatch_global, fi);
  }
}

/* The function of requirement @chk (an 'eis'), rule info @ri. */
static Fn *
check_fn(RegCompiler *c, AstNode *chk, uint32_t ri, GArray *file_strings, bool plain)
{
  RegBuilder *b = c->b;
  Fn *fn = fn_begin(c, file_strings, ri, plain);
  int64_t from;
  bool dated = false;
  for (uint32_t k = 0; chk->kids[1] && k < chk->kids[1]->nkids; k++)
    if (chk->kids[1]->kids[k]->op == AST_META_FROM) {
      dated = true;
      from = chk->kids[1]->kids[k]->num;
    }
  if (dated) {
    /* a requirement with 'geldt vanaf' holds trivially before that date */
    AstNode asof = { .kind = AST_ASOF, .file = chk->file, .span = chk->span };
    uint32_t d = invariant_reg(fn, &asof);
    uint32_t k = loadk(fn, chk, REG_TYPE_DATE, from);
    uint32_t t = new_reg(fn, REG_TYPE_BOOL);
    Jumps *early = jumps_new(), *end = jumps_new();
    add_jump(early, emit(fn, chk, REG_OP_JLT, d, k, 0));
    gen_to(fn, chk->kids[0], REG_TYPE_BOOL, t);
    add_jump(end, emit(fn, chk, REG_OP_JMP, 0, 0, 0));
    patch(fn, early, here(fn));
    emit(fn, chk, REG_OP_LOADK, t, reg_builder_const(b, 1), 0);
    patch(fn, end, here(fn));
    g_array_unref(early);
    g_array_unref(end);
    emit(fn, chk, REG_OP_RET, t, 0, 0);
  } else {
    uint32_t r = gen_bool_value(fn, chk->kids[0]);
    emit(fn, chk, REG_OP_RET, r, 0, 0);
  }
  return fn;
}

/* The function of output @r, rule info @ri. */
static Fn *
view_fn(RegCompiler *c, RecordSym *r, uint32_t ri, GArray *file_strings, bool plain)
{
  Fn *fn = fn_begin(c, file_strings, ri, plain);
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
  return fn;
}

/*
 * Second bodies that no untraced run reaches are dropped: an untraced run starts at the
 * second body of an output or requirement and calls and reads what that code names, and
 * a rule inlined everywhere in second bodies leaves its own second body unreached. The
 * second bodies and their globals were appended after the @ntrace functions and
 * @nglobals globals of the first pass; those kept move down, and their calls with them.
 */
static void
drop_unreached_plain(RegCompiler *c, guint ntrace, guint nglobals)
{
  RegBuilder *b = c->b;
  guint nf = b->funcs->len, ng = b->globals->len;
  bool *reached = g_new0(bool, nf);
  guint *stack = g_new(guint, nf + 1), top = 0;
  for (guint i = 0; i < b->views->len + b->checks->len; i++) {
    uint32_t f = i < b->views->len ? g_array_index(b->views, RegView, i).func
                                   : g_array_index(b->checks, RegCheck, i - b->views->len).func;
    f = g_array_index(b->plain_of, uint32_t, f);
    if (!reached[f]) {
      reached[f] = true;
      stack[top++] = f;
    }
  }
  while (top > 0) {
    const RegFunction *f = &g_array_index(b->funcs, RegFunction, stack[--top]);
    for (uint32_t pc = 0; pc < f->ninsns; pc++) {
      uint64_t w = g_array_index(b->code, uint64_t, f->first_insn + pc);
      uint32_t callee = NONE;
      if (REG_INSN_OP(w) == REG_OP_CALL)
        callee = REG_INSN_B(w);
      else if (REG_INSN_OP(w) == REG_OP_GLOBAL)
        callee = g_array_index(b->globals, RegGlobal, REG_INSN_B(w)).func;
      if (callee < nf && !reached[callee]) {
        reached[callee] = true;
        stack[top++] = callee;
      }
    }
  }
  /* new places of the second bodies and their globals */
  uint32_t *fto = g_new(uint32_t, nf), *gto = g_new(uint32_t, ng);
  guint kf = ntrace, kg = nglobals;
  for (guint f = 0; f < nf; f++)
    fto[f] = f < ntrace ? f : reached[f] ? kf++ : NONE;
  for (guint g = 0; g < ng; g++) {
    uint32_t f = g_array_index(b->globals, RegGlobal, g).func;
    gto[g] = g < nglobals ? g : fto[f] != NONE ? kg++ : NONE;
  }
  if (kf < nf) {
    /* the second bodies' code, registers and lines, moved down in order */
    const RegFunction *first = &g_array_index(b->funcs, RegFunction, ntrace);
    guint code_at = ntrace < nf ? first->first_insn : b->code->len;
    guint regs_at = ntrace < nf ? first->first_reg_type : b->reg_types->len;
    for (guint f = ntrace; f < nf; f++) {
      RegFunction fn = g_array_index(b->funcs, RegFunction, f);
      if (fto[f] == NONE)
        continue;
      for (uint32_t pc = 0; pc < fn.ninsns; pc++) {
        uint64_t w = g_array_index(b->code, uint64_t, fn.first_insn + pc);
        unsigned op = REG_INSN_OP(w);
        if (op == REG_OP_CALL)
          w = REG_INSN(op, REG_INSN_A(w), fto[REG_INSN_B(w)], REG_INSN_C(w));
        else if (op == REG_OP_GLOBAL)
          w = REG_INSN(op, REG_INSN_A(w), gto[REG_INSN_B(w)], REG_INSN_C(w));
        g_array_index(b->code, uint64_t, code_at + pc) = w;
        g_array_index(b->insn_locs, uint32_t, code_at + pc) =
          g_array_index(b->insn_locs, uint32_t, fn.first_insn + pc);
      }
      memmove(&g_array_index(b->reg_types, uint32_t, regs_at),
              &g_array_index(b->reg_types, uint32_t, fn.first_reg_type), fn.nregs * sizeof(uint32_t));
      fn.first_insn = code_at;
      fn.first_reg_type = regs_at;
      code_at += fn.ninsns;
      regs_at += fn.nregs;
      g_array_index(b->funcs, RegFunction, fto[f]) = fn;
    }
    g_array_set_size(b->code, code_at);
    g_array_set_size(b->insn_locs, code_at);
    g_array_set_size(b->reg_types, regs_at);
    g_array_set_size(b->funcs, kf);
  }
  for (guint g = nglobals; g < ng; g++)
    if (gto[g] != NONE) {
      RegGlobal gl = { fto[g_array_index(b->globals, RegGlobal, g).func] };
      g_array_index(b->globals, RegGlobal, gto[g]) = gl;
    }
  g_array_set_size(b->globals, kg);
  for (guint f = 0; f < ntrace; f++) {
    uint32_t *pf = &g_array_index(b->plain_of, uint32_t, f);
    *pf = *pf == f || fto[*pf] == NONE ? f : fto[*pf];
  }
  g_free(reached);
  g_free(stack);
  g_free(fto);
  g_free(gto);
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
    RegCheck rc = { fn_end(check_fn(c, chk, ri, file_strings, false), chk, name, 0, REG_TYPE_BOOL),
                    reg_builder_string(b, chk->str) };
    g_array_append_val(b->checks, rc);
    g_free(name);
  }

  for (guint i = 0; i < c->outputs->len; i++) {
    RecordSym *r = g_ptr_array_index(c->outputs, i);
    char *name = g_strdup_printf("uitvoer %s", r->name);
    uint32_t ri = add_rule_info(c, file_strings, r->name, REG_RULE_VIEW, r->decl, NULL);
    RegView view = { reg_builder_string(b, r->name), r->index,
                     fn_end(view_fn(c, r, ri, file_strings, false), r->decl, name, 0, r->type) };
    g_array_append_val(b->views, view);
    g_free(name);
  }
  b->default_view = 0;

  /* The same again for untraced runs (reg_vm_call), with the rules that explanations name
   * inlined as well; kept only where the code differs. (Not after errors: the tables the
   * second pass reads may be incomplete.) */
  if (c->nerrors == before) {
    guint ntrace = b->funcs->len, nglobals = b->globals->len;
    g_array_set_size(b->plain_of, b->funcs->len);
    for (guint i = 0; i < b->funcs->len; i++)
      g_array_index(b->plain_of, uint32_t, i) = i;
    for (guint i = 0; i < c->rule_order->len; i++)
      gen_group_plain(c, g_ptr_array_index(c->rule_order, i), file_strings);
    for (guint i = 0; i < c->checks->len; i++) {
      uint32_t traced = g_array_index(b->checks, RegCheck, i).func;
      uint32_t ri = g_array_index(b->funcs, RegFunction, traced).rule;
      fn_end_plain(check_fn(c, g_ptr_array_index(c->checks, i), ri, file_strings, true), traced);
    }
    for (guint i = 0; i < c->outputs->len; i++) {
      uint32_t traced = g_array_index(b->views, RegView, i).func;
      uint32_t ri = g_array_index(b->funcs, RegFunction, traced).rule;
      fn_end_plain(view_fn(c, g_ptr_array_index(c->outputs, i), ri, file_strings, true), traced);
    }
    drop_unreached_plain(c, ntrace, nglobals);
  }
  g_array_unref(file_strings);
  return c->nerrors == before;
}
