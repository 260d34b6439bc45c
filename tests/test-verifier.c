/* test-verifier.c: hand-built programs, each breaking one loader or verifier rule, are rejected. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "builder-private.h"
#include "date-private.h"
#include "json-private.h"
#include "libreg/libreg.h"

/*
 * Every verifier case is a pair built by one function: with bad = false it
 * builds a small valid program, which must load and decide a portfolio; with
 * bad = true it changes exactly one thing, which must make
 * reg_program_load_bytes() fail with REG_LOAD_ERROR_VERIFY. The pair proves
 * that the one change, and nothing else, is what the verifier rejects.
 *
 * The base schema every program shares (fixed indices, checked in tb_new):
 *   enum Kleur (closed): rood, groen, blauw      enum Soort (open): a, b
 *   record Sub { k: int }
 *   record In (the input) { as_of: date (evaluation date), n: int (required),
 *     d: decimal, t: text (key), b: bool, e: Kleur, s: Soort, li: list of int,
 *     lt: list of text, sub: Sub, subs: list of Sub }
 *   record Out (the output) { y: int }
 *   record Opt { o: int (optional), p: text }
 * Without an output of its own, a program gets the output "besluit": Out{y: f()}
 * when its last function f is a parameterless int function, else Out{y: 7}.
 *
 * Test cases: "verifier" (the pairs, and two programs that must run), "format"
 * (file-level damage: REG_LOAD_ERROR_FORMAT), "runtime" (accepted programs that
 * once ran unsafely) and "fixed-bugs": a stack overflow in the verifier, shared
 * instructions with a condition site under explanations, and the verifier's memory
 * use, each found here and fixed.
 * REG_TEST_VERBOSE=1 prints the verifier's message for every rejected case.
 */

/* ---- the base schema ---- */

enum {
  T_E = REG_TYPE__PRIMITIVES, /* Kleur */
  T_OE,                       /* Soort */
  T_LI,                       /* list of int */
  T_LT,                       /* list of text */
  T_LE,                       /* list of Kleur */
  T_SUB,
  T_LSUB,
  T_IN,
  T_OUT,
  T_OPT,
  T_LLI, /* list of list of int */
  T_LD,  /* list of date */
  T__BASE
};
#define T_BOOL REG_TYPE_BOOL
#define T_INT REG_TYPE_INT
#define T_DEC REG_TYPE_DEC
#define T_TEXT REG_TYPE_TEXT
#define T_DATE REG_TYPE_DATE
#define T_DUR REG_TYPE_DUR

enum { E_KLEUR, E_SOORT };
enum { R_SUB, R_IN, R_OUT, R_OPT, R__BASE };
/* fields of In, by position */
enum { F_ASOF, F_N, F_D, F_T, F_B, F_E, F_S, F_LI, F_LT, F_SUB, F_SUBS, F__IN };
/* positions in the field table */
enum { FLD_SUB_K = 0, FLD_IN = 1, FLD_OUT_Y = FLD_IN + F__IN, FLD_OPT_O, FLD_OPT_P, FLD__BASE };

static const char portfolio[] =
  "{\"as_of\":\"2024-01-01\",\"n\":5,\"d\":1.25,\"t\":\"abc\",\"b\":true,\"e\":\"groen\","
  "\"s\":\"zzz\",\"li\":[1,2,3],\"lt\":[\"x\",\"y\"],\"sub\":{\"k\":4},"
  "\"subs\":[{\"k\":1},{\"k\":2}]}";

typedef struct {
  RegBuilder *b;
  uint32_t loc;
  bool no_view; /* serialize without adding an output */
} TB;

static uint32_t
tb_field(TB *t, const char *name, uint32_t type, uint32_t flags)
{
  RegField f = { reg_builder_string(t->b, name), type, flags, 0, 0, 0 };
  g_array_append_val(t->b->fields, f);
  return t->b->fields->len - 1;
}

static uint32_t
tb_record(TB *t, const char *name, uint32_t first_field, uint32_t nfields, uint32_t noptional)
{
  RegRecord r = { reg_builder_string(t->b, name), first_field, nfields, noptional };
  g_array_append_val(t->b->records, r);
  return t->b->records->len - 1;
}

static uint32_t
tb_enum(TB *t, const char *name, const char *const *members, uint32_t n, bool open)
{
  RegEnum e = { reg_builder_string(t->b, name), t->b->enum_members->len, n, open };
  for (uint32_t i = 0; i < n; i++) {
    uint32_t s = reg_builder_string(t->b, members[i]);
    g_array_append_val(t->b->enum_members, s);
  }
  g_array_append_val(t->b->enums, e);
  return t->b->enums->len - 1;
}

static TB *
tb_new(void)
{
  TB *t = g_new0(TB, 1);
  RegBuilder *b = t->b = reg_builder_new();
  b->name = reg_builder_string(b, "test");
  b->version = reg_builder_string(b, "1");
  t->loc = reg_builder_loc(b, reg_builder_string(b, "test.regel"), 1, 1);

  static const char *const kleur[] = { "rood", "groen", "blauw" }, *const soort[] = { "a", "b" };
  ck_assert_uint_eq(tb_enum(t, "Kleur", kleur, 3, false), E_KLEUR);
  ck_assert_uint_eq(tb_enum(t, "Soort", soort, 2, true), E_SOORT);

  ck_assert_uint_eq(reg_builder_type(b, REG_TK_ENUM, E_KLEUR), T_E);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_ENUM, E_SOORT), T_OE);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_INT), T_LI);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_TEXT), T_LT);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_E), T_LE);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_RECORD, R_SUB), T_SUB);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_SUB), T_LSUB);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_RECORD, R_IN), T_IN);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_RECORD, R_OUT), T_OUT);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_RECORD, R_OPT), T_OPT);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_LI), T_LLI);
  ck_assert_uint_eq(reg_builder_type(b, REG_TK_LIST, T_DATE), T_LD);

  ck_assert_uint_eq(tb_field(t, "k", T_INT, 0), FLD_SUB_K);
  ck_assert_uint_eq(tb_record(t, "Sub", FLD_SUB_K, 1, 0), R_SUB);
  tb_field(t, "as_of", T_DATE, REG_FIELD_ASOF);
  tb_field(t, "n", T_INT, REG_FIELD_REQUIRED);
  tb_field(t, "d", T_DEC, 0);
  tb_field(t, "t", T_TEXT, REG_FIELD_KEY);
  tb_field(t, "b", T_BOOL, 0);
  tb_field(t, "e", T_E, 0);
  tb_field(t, "s", T_OE, 0);
  tb_field(t, "li", T_LI, 0);
  tb_field(t, "lt", T_LT, 0);
  tb_field(t, "sub", T_SUB, 0);
  ck_assert_uint_eq(tb_field(t, "subs", T_LSUB, 0), FLD_IN + F_SUBS);
  ck_assert_uint_eq(tb_record(t, "In", FLD_IN, F__IN, 0), R_IN);
  ck_assert_uint_eq(tb_field(t, "y", T_INT, 0), FLD_OUT_Y);
  ck_assert_uint_eq(tb_record(t, "Out", FLD_OUT_Y, 1, 0), R_OUT);
  ck_assert_uint_eq(tb_field(t, "o", T_INT, REG_FIELD_OPTIONAL), FLD_OPT_O);
  ck_assert_uint_eq(tb_field(t, "p", T_TEXT, 0), FLD_OPT_P);
  ck_assert_uint_eq(tb_record(t, "Opt", FLD_OPT_O, 2, 1), R_OPT);
  b->input_record = R_IN;
  b->default_view = 0;
  return t;
}

static void
tb_free(TB *t)
{
  reg_builder_free(t->b);
  g_free(t);
}

#define K(v) reg_builder_const(t->b, (int64_t) (v))
#define S(s) reg_builder_string(t->b, (s))
#define I(op, a, b, c) REG_INSN(REG_OP_##op, (uint32_t) (a), (uint32_t) (b), (uint32_t) (c))
#define RT(...)                                                                            \
  ((const uint32_t[]){ __VA_ARGS__ }), (uint32_t) G_N_ELEMENTS(((const uint32_t[]){ __VA_ARGS__ }))
#define CODE(...)                                                                          \
  ((const uint64_t[]){ __VA_ARGS__ }), (uint32_t) G_N_ELEMENTS(((const uint64_t[]){ __VA_ARGS__ }))
#define FN(np, ret, ...) tb_fn(t, np, ret, __VA_ARGS__) /* FN(np, ret, RT(...), CODE(...)) */
#define FUNC(i) (&g_array_index(t->b->funcs, RegFunction, (i)))
#define FIELD(i) (&g_array_index(t->b->fields, RegField, (i)))
#define TYPE(i) (&g_array_index(t->b->types, RegType, (i)))
#define RECORD(i) (&g_array_index(t->b->records, RegRecord, (i)))
#define ENUM(i) (&g_array_index(t->b->enums, RegEnum, (i)))

/* Appends a function; returns its index. */
static uint32_t
tb_fn(TB *t, uint32_t nparams, uint32_t ret, const uint32_t *rt, uint32_t nregs,
      const uint64_t *code, uint32_t ninsns)
{
  RegBuilder *b = t->b;
  RegFunction f = { .name = reg_builder_string(b, "f"),
                    .rule = REG_NONE,
                    .nparams = nparams,
                    .nregs = nregs,
                    .ret_type = ret,
                    .first_reg_type = b->reg_types->len,
                    .first_insn = b->code->len,
                    .ninsns = ninsns };
  g_array_append_vals(b->reg_types, rt, nregs);
  g_array_append_vals(b->code, code, ninsns);
  for (uint32_t i = 0; i < ninsns; i++)
    g_array_append_val(b->insn_locs, t->loc);
  g_array_append_val(b->funcs, f);
  return b->funcs->len - 1;
}

static uint32_t
tb_global(TB *t, uint32_t func)
{
  RegGlobal g = { func };
  g_array_append_val(t->b->globals, g);
  return t->b->globals->len - 1;
}

static void
tb_add_view(TB *t, uint32_t func)
{
  RegView v = { reg_builder_string(t->b, "besluit"), R_OUT, func };
  g_array_append_val(t->b->views, v);
}

/* The output Out{y: f()} for a parameterless int function f, or Out{y: 7}. */
static uint32_t
tb_view_calling(TB *t, uint32_t f)
{
  uint32_t v;
  if (f == REG_NONE)
    v = FN(0, T_OUT, RT(T_INT, T_OUT), CODE(I(LOADK, 0, K(7), 0), I(RECORD, 1, 0, REG_NO_MASK),
                                             I(RET, 1, 0, 0)));
  else
    v = FN(0, T_OUT, RT(T_INT, T_OUT), CODE(I(CALL, 0, f, 0), I(RECORD, 1, 0, REG_NO_MASK),
                                             I(RET, 1, 0, 0)));
  tb_add_view(t, v);
  return v;
}

/* Without an output of its own, a program gets one: Out{y: f()} when its last function f
 * is a parameterless int function (so that the function runs), else Out{y: 7}. */
static GBytes *
tb_bytes(TB *t)
{
  if (t->b->views->len == 0 && !t->no_view) {
    uint32_t n = t->b->funcs->len;
    const RegFunction *last = n ? &g_array_index(t->b->funcs, RegFunction, n - 1) : NULL;
    tb_view_calling(t, last && last->nparams == 0 && last->ret_type == T_INT ? n - 1 : REG_NONE);
  }
  return reg_builder_serialize(t->b);
}

static RegProgram *
load(GBytes *bytes, GError **error)
{
  return reg_program_load_bytes(bytes, error);
}

static RegProgram *
tb_load(TB *t, GError **error)
{
  GBytes *bytes = tb_bytes(t);
  RegProgram *p = load(bytes, error);
  g_bytes_unref(bytes);
  return p;
}

/* Decides @json with @p; returns the decision line (or NULL and *@error). */
static char *
decide(RegProgram *p, const char *json, gboolean explain, GError **error)
{
  RegEvaluator *ev = reg_evaluator_new(p);
  reg_evaluator_set_audit_fields(ev, FALSE);
  reg_evaluator_set_budget(ev, 2000000);
  reg_evaluator_set_memory_limit(ev, 16 << 20);
  reg_evaluator_set_explain(ev, explain);
  GString *out = g_string_new(NULL);
  gboolean ok = reg_evaluator_decide_json(ev, json, -1, out, error);
  reg_evaluator_free(ev);
  if (!ok) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

/* A loaded program must run: a decision (valid JSON) or an evaluation error, never a crash. */
static void
assert_runs(RegProgram *p, const char *what)
{
  for (int explain = 0; explain <= 1; explain++) {
    GError *err = NULL;
    char *out = decide(p, portfolio, explain, &err);
    if (out) {
      ck_assert_msg(reg_json_validate(out, strlen(out), 100) == REG_JSON_OK,
                    "%s: the decision is not JSON: %s", what, out);
      g_free(out);
    } else {
      ck_assert_msg(err && err->domain == REG_EVAL_ERROR, "%s: failed without an error", what);
      g_error_free(err);
    }
  }
}

static void
assert_rejected(GBytes *bytes, int code, const char *what)
{
  GError *err = NULL;
  RegProgram *p = load(bytes, &err);
  if (p) {
    reg_program_unref(p);
    ck_abort_msg("%s: wrongly accepted", what);
  }
  ck_assert_msg(err != NULL, "%s: rejected without an error", what);
  ck_assert_msg(err->domain == REG_LOAD_ERROR && err->code == code,
                "%s: rejected with the wrong error (code %d, expected %d): %s", what, err->code,
                code, err->message);
  if (g_getenv("REG_TEST_VERBOSE"))
    fprintf(stderr, "  %-28s %s\n", what, err->message);
  g_error_free(err);
}

/* ======================================================================== */
/* Verifier cases: each builds a valid program, or with @bad the same program  */
/* with one rule broken.                                                       */
/* ======================================================================== */

#define CASE(name) static void name(TB *t, bool bad)

static void loop_code(TB *t, uint64_t *code);
static uint32_t loop_fn(TB *t, const uint64_t *code, const uint32_t *types);

/* An int function of no parameters. */
#define INTFN(...) FN(0, T_INT, __VA_ARGS__)

/* ---- operand kinds ---- */

CASE(c_reg_a)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, bad ? 1 : 0, K(2), 0), I(RET, 0, 0, 0)));
}

CASE(c_reg_b)
{
  INTFN(RT(T_INT, T_INT),
        CODE(I(LOADK, 0, K(1), 0), I(MOVE, 1, bad ? 2 : 0, 0), I(RET, 1, 0, 0)));
}

CASE(c_reg_c)
{
  INTFN(RT(T_INT, T_INT, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(2), 0),
                                      I(ADD, 2, 0, bad ? 3 : 1), I(RET, 2, 0, 0)));
}

CASE(c_reg_max)
{
  INTFN(RT(T_INT, T_INT),
        CODE(I(LOADK, 0, K(1), 0), I(MOVE, 1, bad ? 0xffff : 0, 0), I(RET, 1, 0, 0)));
}

CASE(c_const_index)
{
  uint32_t k = K(1);
  INTFN(RT(T_INT), CODE(I(LOADK, 0, bad ? 0xffff : k, 0), I(RET, 0, 0, 0)));
}

CASE(c_const_index_first_past)
{
  K(7); /* the output's constant */
  uint32_t k = K(1), n = t->b->consts->len;
  INTFN(RT(T_INT), CODE(I(LOADK, 0, bad ? n : k, 0), I(RET, 0, 0, 0)));
}

CASE(c_string_index)
{
  uint32_t s = S("x");
  INTFN(RT(T_TEXT, T_INT), CODE(I(LOADS, 0, bad ? 0xffff : s, 0),
                                I(BUILTIN, 1, REG_BI_TEXTLEN, 0), I(RET, 1, 0, 0)));
}

CASE(c_global_index)
{
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  uint32_t g = tb_global(t, f0);
  INTFN(RT(T_INT), CODE(I(GLOBAL, 0, bad ? g + 1 : g, 0), I(RET, 0, 0, 0)));
}

CASE(c_field_index)
{
  INTFN(RT(T_IN, T_INT),
        CODE(I(LOADINPUT, 0, 0, 0), I(GETF, 1, 0, bad ? F__IN : F_N), I(RET, 1, 0, 0)));
}

CASE(c_jump_target_end)
{
  /* one past the last instruction is not a target */
  INTFN(RT(T_BOOL, T_INT), CODE(I(LOADK, 1, K(2), 0), I(LOADK, 0, K(1), 0),
                                I(JF, 0, bad ? 4 : 3, 0), I(RET, 1, 0, 0)));
}

CASE(c_jump_target_far)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(2), 0), I(JMP, bad ? 0xffff : 2, 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_function_index)
{
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  INTFN(RT(T_INT), CODE(I(CALL, 0, bad ? 0xffff : f0, 0), I(RET, 0, 0, 0)));
}

CASE(c_builtin_number)
{
  INTFN(RT(T_TEXT, T_INT), CODE(I(LOADS, 0, S("x"), 0),
                                I(BUILTIN, 1, bad ? REG_BI__COUNT : REG_BI_TEXTLEN, 0),
                                I(RET, 1, 0, 0)));
}

CASE(c_duration_unit)
{
  INTFN(RT(T_INT, T_DUR, T_DATE, T_DATE, T_INT),
        CODE(I(LOADK, 0, K(2), 0), I(DUR, 1, 0, bad ? 4 : 3), I(LOADDATE, 2, 0, 0),
             I(DADD, 3, 2, 1), I(DDIFF, 4, 3, 2), I(RET, 4, 0, 0)));
}

/* Opt{o: r0, p: r1} with presence mask operand @mask; r2 is an int, r5 a text. */
static void
opt_record(TB *t, uint32_t mask, bool write_mask)
{
  INTFN(RT(T_INT, T_TEXT, T_INT, T_OPT, T_INT, T_TEXT),
        CODE(I(LOADK, 0, K(5), 0), I(LOADS, 1, S("p"), 0),
             write_mask ? I(LOADK, 2, K(1), 0) : I(NOP, 0, 0, 0), I(LOADS, 5, S("q"), 0),
             I(RECORD, 3, 0, mask), I(RET, 0, 0, 0)));
}

CASE(c_mask_register_range)
{
  opt_record(t, bad ? 200 : 2, true);
}

CASE(c_mask_register_type)
{
  opt_record(t, bad ? 5 : 2, true);
}

CASE(c_mask_register_unwritten)
{
  opt_record(t, 2, !bad);
}

CASE(c_mask_none_is_fine)
{
  /* 0xffff means "no mask"; 0xfffe is a register number, out of range */
  opt_record(t, bad ? 0xfffe : REG_NO_MASK, true);
}

CASE(c_mask_without_optional_fields)
{
  INTFN(RT(T_INT, T_OUT), CODE(I(LOADK, 0, K(1), 0), I(RECORD, 1, 0, bad ? 0 : REG_NO_MASK),
                               I(RET, 0, 0, 0)));
}

CASE(c_unused_a_nonzero)
{
  INTFN(RT(T_INT), CODE(I(NOP, bad ? 1 : 0, 0, 0), I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
}

CASE(c_unused_b_nonzero)
{
  INTFN(RT(T_DATE, T_INT),
        CODE(I(LOADDATE, 0, bad ? 1 : 0, 0), I(LOADK, 1, K(1), 0), I(RET, 1, 0, 0)));
}

CASE(c_unused_c_nonzero)
{
  INTFN(RT(T_INT, T_INT),
        CODE(I(LOADK, 0, K(1), 0), I(MOVE, 1, 0, bad ? 1 : 0), I(RET, 1, 0, 0)));
}

CASE(c_unused_jmp_b_nonzero)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(JMP, 2, bad ? 1 : 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_unused_ret_c_nonzero)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, bad ? 0x8000 : 0)));
}

CASE(c_unused_fail_b_nonzero)
{
  uint32_t s = S("boom");
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(FAIL, s, bad ? 1 : 0, 0)));
}

CASE(c_reserved_byte)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0) | (bad ? (uint64_t) 1 << 8 : 0), I(RET, 0, 0, 0)));
}

CASE(c_reserved_byte_high)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0) | (bad ? (uint64_t) 0x80 << 8 : 0)));
}

CASE(c_unknown_opcode)
{
  INTFN(RT(T_INT), CODE(bad ? (uint64_t) REG_OP__COUNT : I(NOP, 0, 0, 0), I(LOADK, 0, K(1), 0),
                        I(RET, 0, 0, 0)));
}

CASE(c_unknown_opcode_ff)
{
  INTFN(RT(T_INT), CODE(bad ? (uint64_t) 0xff : I(NOP, 0, 0, 0), I(LOADK, 0, K(1), 0),
                        I(RET, 0, 0, 0)));
}

/* ---- type rules, by opcode family ---- */

CASE(c_move_types_differ)
{
  INTFN(RT(T_INT, T_INT, T_DEC),
        CODE(I(LOADK, 0, K(1), 0), I(MOVE, bad ? 2 : 1, 0, 0), I(RET, 0, 0, 0)));
}

/* r0 = 1; LOADK into register @dst of the given types; return r0 */
#define LOADK_INTO(types, dst, k)                                                          \
  INTFN(types, CODE(I(LOADK, 0, K(1), 0), I(LOADK, dst, k, 0), I(RET, 0, 0, 0)))

CASE(c_loadk_text)
{
  LOADK_INTO(RT(T_INT, T_TEXT), bad ? 1 : 0, K(2));
}

CASE(c_loadk_list)
{
  LOADK_INTO(RT(T_INT, T_LI), bad ? 1 : 0, K(2));
}

CASE(c_loadk_record)
{
  LOADK_INTO(RT(T_INT, T_SUB), bad ? 1 : 0, K(0));
}

CASE(c_loadk_bool_2)
{
  LOADK_INTO(RT(T_INT, T_BOOL), 1, K(bad ? 2 : 1));
}

CASE(c_loadk_bool_negative)
{
  LOADK_INTO(RT(T_INT, T_BOOL), 1, K(bad ? -1 : 0));
}

CASE(c_loadk_enum_past_end)
{
  LOADK_INTO(RT(T_INT, T_E), 1, K(bad ? 3 : 2));
}

CASE(c_loadk_enum_minus1_closed)
{
  /* -1 (unknown) is not a value of a closed enumeration */
  LOADK_INTO(RT(T_INT, T_E), 1, K(bad ? -1 : 0));
}

CASE(c_loadk_enum_minus1_open)
{
  /* -1 is fine for an open enumeration; -2 is not */
  LOADK_INTO(RT(T_INT, T_OE), 1, K(bad ? -2 : -1));
}

CASE(c_loadk_enum_open_past_end)
{
  LOADK_INTO(RT(T_INT, T_OE), 1, K(bad ? 2 : 1));
}

CASE(c_loadk_enum_huge)
{
  LOADK_INTO(RT(T_INT, T_E), 1, K(bad ? INT64_MIN : 1));
}

CASE(c_loadk_date_after_max)
{
  LOADK_INTO(RT(T_INT, T_DATE), 1, K(bad ? REG_DATE_MAX + 1 : REG_DATE_MAX));
}

CASE(c_loadk_date_before_min)
{
  LOADK_INTO(RT(T_INT, T_DATE), 1, K(bad ? REG_DATE_MIN - 1 : REG_DATE_MIN));
}

CASE(c_loadk_date_int64_min)
{
  LOADK_INTO(RT(T_INT, T_DATE), 1, K(bad ? INT64_MIN : 0));
}

CASE(c_loads_not_text)
{
  INTFN(RT(T_INT, T_TEXT),
        CODE(I(LOADK, 0, K(1), 0), I(LOADS, bad ? 0 : 1, S("x"), 0), I(RET, 0, 0, 0)));
}

CASE(c_loadempty_not_list)
{
  INTFN(RT(T_INT, T_LI), CODE(I(LOADK, 0, K(1), 0), I(LOADEMPTY, bad ? 0 : 1, 0, 0),
                              I(RET, 0, 0, 0)));
}

CASE(c_enumlist_of_non_enum)
{
  INTFN(RT(T_INT, T_LE, T_LI), CODE(I(LOADK, 0, K(1), 0), I(ENUMLIST, bad ? 2 : 1, 0, 0),
                                    I(RET, 0, 0, 0)));
}

CASE(c_enumlist_not_list)
{
  INTFN(RT(T_INT, T_LE, T_E), CODE(I(LOADK, 0, K(1), 0), I(ENUMLIST, bad ? 2 : 1, 0, 0),
                                   I(RET, 0, 0, 0)));
}

CASE(c_loadinput_other_record)
{
  INTFN(RT(T_INT, T_IN, T_SUB), CODE(I(LOADK, 0, K(1), 0), I(LOADINPUT, bad ? 2 : 1, 0, 0),
                                     I(RET, 0, 0, 0)));
}

CASE(c_loadinput_not_record)
{
  INTFN(RT(T_INT, T_IN, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADINPUT, bad ? 2 : 1, 0, 0),
                                     I(RET, 0, 0, 0)));
}

CASE(c_loaddate_not_date)
{
  INTFN(RT(T_INT, T_DATE),
        CODE(I(LOADK, 0, K(1), 0), I(LOADDATE, bad ? 0 : 1, 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_global_type)
{
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  uint32_t g = tb_global(t, f0);
  INTFN(RT(T_INT, T_DEC),
        CODE(I(LOADK, 0, K(1), 0), I(GLOBAL, bad ? 1 : 0, g, 0), I(RET, 0, 0, 0)));
}

CASE(c_getf_not_record)
{
  INTFN(RT(T_IN, T_INT, T_INT), CODE(I(LOADINPUT, 0, 0, 0), I(LOADK, 1, K(1), 0),
                                     I(GETF, 2, bad ? 1 : 0, F_N), I(RET, 2, 0, 0)));
}

CASE(c_getf_dest_type)
{
  INTFN(RT(T_IN, T_INT, T_DEC), CODE(I(LOADINPUT, 0, 0, 0), I(LOADK, 1, K(1), 0),
                                     I(GETF, bad ? 2 : 1, 0, F_N), I(RET, 1, 0, 0)));
}

CASE(c_getf_unwritten_record)
{
  INTFN(RT(T_IN, T_INT), CODE(bad ? I(NOP, 0, 0, 0) : I(LOADINPUT, 0, 0, 0),
                              I(GETF, 1, 0, F_N), I(RET, 1, 0, 0)));
}

CASE(c_getf_optional_field)
{
  /* an optional field may be absent: it cannot be read */
  INTFN(RT(T_INT, T_TEXT, T_OPT, T_TEXT, T_INT),
        CODE(I(LOADK, 0, K(5), 0), I(LOADS, 1, S("p"), 0), I(RECORD, 2, 0, REG_NO_MASK),
             bad ? I(GETF, 4, 2, 0) : I(GETF, 3, 2, 1), I(RET, 0, 0, 0)));
}

CASE(c_not_operand)
{
  INTFN(RT(T_BOOL, T_BOOL, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 2, K(5), 0),
                                        I(NOT, 1, bad ? 2 : 0, 0), I(RET, 2, 0, 0)));
}

CASE(c_not_dest)
{
  INTFN(RT(T_BOOL, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(1), 0),
                                I(NOT, bad ? 1 : 0, 0, 0), I(RET, 1, 0, 0)));
}

/* r0, r1 of @ta, r2 bool, r3, r4 int; op a, b, c with the given operands; return r3 */
static void
cmp_case(TB *t, uint32_t ta, int64_t va, uint64_t insn)
{
  uint64_t la = ta == T_TEXT ? I(LOADS, 0, S("x"), 0)
                : ta == T_LI ? I(LOADEMPTY, 0, 0, 0)
                : ta == T_DATE ? I(LOADDATE, 0, 0, 0)
                             : I(LOADK, 0, K(va), 0);
  uint64_t lb = ta == T_TEXT ? I(LOADS, 1, S("y"), 0)
                : ta == T_LI ? I(LOADEMPTY, 1, 0, 0)
                : ta == T_DATE ? I(LOADDATE, 1, 0, 0)
                             : I(LOADK, 1, K(va), 0);
  INTFN(RT(ta, ta, T_BOOL, T_INT, T_INT, T_DEC, T_TEXT),
        CODE(la, lb, I(LOADK, 3, K(1), 0), I(LOADK, 4, K(2), 0), I(LOADK, 5, K(0), 0),
             I(LOADS, 6, S("z"), 0), insn, I(RET, 3, 0, 0)));
}

CASE(c_eq_dest_not_bool)
{
  cmp_case(t, T_INT, 1, I(EQ, bad ? 4 : 2, 0, 1));
}

CASE(c_eq_operands_differ)
{
  cmp_case(t, T_INT, 1, I(EQ, 2, 0, bad ? 5 : 1));
}

CASE(c_eq_on_text)
{
  cmp_case(t, T_TEXT, 0, bad ? I(EQ, 2, 0, 1) : I(TEQ, 2, 0, 1));
}

CASE(c_ne_on_list)
{
  cmp_case(t, T_LI, 0, I(NE, 2, bad ? 0 : 3, bad ? 1 : 4));
}

CASE(c_eq_on_duration_ok)
{
  /* durations compare for equality; an int and a duration do not */
  INTFN(RT(T_INT, T_DUR, T_DUR, T_BOOL),
        CODE(I(LOADK, 0, K(1), 0), I(DUR, 1, 0, 2), I(DUR, 2, 0, 0), I(EQ, 3, 1, bad ? 0 : 2),
             I(RET, 0, 0, 0)));
}

CASE(c_lt_on_enum)
{
  cmp_case(t, T_E, 1, I(LT, 2, bad ? 0 : 3, bad ? 1 : 4));
}

CASE(c_le_on_bool)
{
  cmp_case(t, T_BOOL, 1, I(LE, 2, bad ? 0 : 3, bad ? 1 : 4));
}

CASE(c_lt_on_date_ok_text_not)
{
  cmp_case(t, bad ? T_TEXT : T_DATE, 0, I(LT, 2, 0, 1));
}

CASE(c_le_on_duration)
{
  INTFN(RT(T_INT, T_DUR, T_DUR, T_BOOL),
        CODE(I(LOADK, 0, K(1), 0), I(DUR, 1, 0, 2), I(DUR, 2, 0, 0),
             bad ? I(LE, 3, 1, 2) : I(EQ, 3, 1, 2), I(RET, 0, 0, 0)));
}

CASE(c_tlt_on_int)
{
  cmp_case(t, T_TEXT, 0, I(TLT, 2, bad ? 3 : 0, bad ? 4 : 1));
}

CASE(c_tle_dest_not_bool)
{
  cmp_case(t, T_TEXT, 0, I(TLE, bad ? 4 : 2, 0, 1));
}

CASE(c_tne_mixed)
{
  cmp_case(t, T_TEXT, 0, I(TNE, 2, 0, bad ? 3 : 6));
}

CASE(c_add_on_date)
{
  cmp_case(t, T_DATE, 0, bad ? I(ADD, 0, 0, 1) : I(ADD, 4, 3, 4));
}

CASE(c_add_mixed)
{
  cmp_case(t, T_INT, 1, I(ADD, 4, 3, bad ? 5 : 4));
}

CASE(c_sub_dest_type)
{
  cmp_case(t, T_INT, 1, I(SUB, bad ? 5 : 4, 3, 4));
}

CASE(c_min_on_bool)
{
  cmp_case(t, T_BOOL, 1, I(MIN, bad ? 0 : 4, bad ? 0 : 3, bad ? 1 : 4));
}

CASE(c_max_on_date_ok_text_not)
{
  cmp_case(t, bad ? T_TEXT : T_DATE, 0, I(MAX, 0, 0, 1));
}

CASE(c_max_on_enum)
{
  cmp_case(t, T_E, 1, I(MAX, bad ? 0 : 4, bad ? 0 : 3, bad ? 1 : 4));
}

/* r0, r1 int; r2, r3 decimal */
#define ARITH(insn)                                                                        \
  INTFN(RT(T_INT, T_INT, T_DEC, T_DEC),                                                  \
        CODE(I(LOADK, 0, K(2), 0), I(LOADK, 1, K(3), 0), I(LOADK, 2, K(2000000), 0),         \
             I(LOADK, 3, K(500000), 0), insn, I(RET, 0, 0, 0)))

CASE(c_muli_on_decimal)
{
  ARITH(bad ? I(MULI, 3, 2, 2) : I(MULI, 1, 0, 0));
}

CASE(c_muld_on_int)
{
  ARITH(bad ? I(MULD, 1, 0, 0) : I(MULD, 3, 2, 2));
}

CASE(c_divd_on_int)
{
  ARITH(bad ? I(DIVD, 1, 0, 1) : I(DIVD, 3, 2, 3));
}

CASE(c_divd_mixed)
{
  ARITH(I(DIVD, 3, 2, bad ? 0 : 3));
}

CASE(c_neg_on_text)
{
  cmp_case(t, T_TEXT, 0, bad ? I(NEG, 0, 1, 0) : I(NEG, 4, 3, 0));
}

CASE(c_neg_on_date)
{
  cmp_case(t, T_DATE, 0, bad ? I(NEG, 0, 1, 0) : I(NEG, 4, 3, 0));
}

CASE(c_neg_types_differ)
{
  ARITH(I(NEG, bad ? 2 : 1, 0, 0));
}

CASE(c_i2d_dest)
{
  ARITH(I(I2D, bad ? 1 : 2, 0, 0));
}

CASE(c_i2d_operand)
{
  ARITH(I(I2D, 2, bad ? 3 : 0, 0));
}

/* r0 int, r1 duration, r2, r3 date, r4 int, r5 decimal */
#define DATES(insn)                                                                        \
  INTFN(RT(T_INT, T_DUR, T_DATE, T_DATE, T_INT, T_DEC),                                  \
        CODE(I(LOADK, 0, K(1), 0), I(DUR, 1, 0, 2), I(LOADDATE, 2, 0, 0), I(LOADDATE, 3, 0, 0), \
             I(LOADK, 5, K(0), 0), insn, I(RET, 0, 0, 0)))

CASE(c_dadd_duration_operand)
{
  DATES(I(DADD, 3, 2, bad ? 0 : 1));
}

CASE(c_dadd_date_operand)
{
  DATES(I(DADD, 3, bad ? 1 : 2, 1));
}

CASE(c_dsub_dest)
{
  DATES(I(DSUB, bad ? 4 : 3, 2, 1));
}

CASE(c_ddiff_dest)
{
  DATES(I(DDIFF, bad ? 5 : 4, 3, 2));
}

CASE(c_ddiff_operand)
{
  DATES(I(DDIFF, 4, 3, bad ? 1 : 2));
}

CASE(c_dur_operand)
{
  DATES(I(DUR, 1, bad ? 5 : 0, 1));
}

CASE(c_dur_dest)
{
  DATES(I(DUR, bad ? 4 : 1, 0, 0));
}

CASE(c_durmul_operand)
{
  DATES(I(DURMUL, 1, 1, bad ? 1 : 0));
}

CASE(c_duradd_operand)
{
  DATES(I(DURADD, 1, 1, bad ? 0 : 1));
}

/* r0 bool, r1 int, r2 int */
#define BRANCH(insn)                                                                       \
  INTFN(RT(T_BOOL, T_INT, T_INT),                                                        \
        CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(7), 0), I(LOADK, 2, K(8), 0), insn,          \
             I(LOADK, 1, K(9), 0), I(RET, 1, 0, 0)))

CASE(c_jf_not_bool)
{
  BRANCH(I(JF, bad ? 1 : 0, 5, 0));
}

CASE(c_jt_not_bool)
{
  BRANCH(I(JT, bad ? 2 : 0, 5, 0));
}

CASE(c_jeq_types_differ)
{
  BRANCH(I(JEQ, 1, bad ? 0 : 2, 5));
}

CASE(c_jlt_on_bool)
{
  BRANCH(I(JLT, bad ? 0 : 1, bad ? 0 : 2, 5));
}

CASE(c_jle_on_enum)
{
  INTFN(RT(T_E, T_E, T_INT, T_INT),
        CODE(I(LOADK, 0, K(0), 0), I(LOADK, 1, K(2), 0), I(LOADK, 2, K(1), 0),
             I(LOADK, 3, K(2), 0), I(JLE, bad ? 0 : 2, bad ? 1 : 3, 5), I(RET, 2, 0, 0)));
}

CASE(c_jne_on_text)
{
  INTFN(RT(T_TEXT, T_TEXT, T_INT, T_INT),
        CODE(I(LOADS, 0, S("a"), 0), I(LOADS, 1, S("b"), 0), I(LOADK, 2, K(1), 0),
             I(LOADK, 3, K(2), 0), bad ? I(JNE, 0, 1, 5) : I(JTNE, 0, 1, 5), I(RET, 2, 0, 0)));
}

CASE(c_jteq_on_int)
{
  INTFN(RT(T_TEXT, T_TEXT, T_INT, T_INT),
        CODE(I(LOADS, 0, S("a"), 0), I(LOADS, 1, S("b"), 0), I(LOADK, 2, K(1), 0),
             I(LOADK, 3, K(2), 0), I(JTEQ, bad ? 2 : 0, bad ? 3 : 1, 5), I(RET, 2, 0, 0)));
}

CASE(c_jeq_backward)
{
  BRANCH(I(JEQ, 1, 2, bad ? 1 : 5));
}

CASE(c_jeq_unwritten)
{
  INTFN(RT(T_INT, T_INT), CODE(I(LOADK, 0, K(1), 0), bad ? I(NOP, 0, 0, 0) : I(LOADK, 1, K(1), 0),
                               I(JEQ, 0, 1, 3), I(RET, 0, 0, 0)));
}

/* r0 In, r1 bool, r2 int, r3 text, r4 list of text, r5 list of int, r6 Kleur, r7 decimal;
 * @insn at 8 may jump to 10 */
#define FUSED(insn)                                                                        \
  INTFN(RT(T_IN, T_BOOL, T_INT, T_TEXT, T_LT, T_LI, T_E, T_DEC),                         \
        CODE(I(LOADINPUT, 0, 0, 0), I(LOADK, 1, K(1), 0), I(LOADK, 2, K(0), 0),               \
             I(GETF, 3, 0, F_T), I(GETF, 4, 0, F_LT), I(GETF, 5, 0, F_LI), I(GETF, 6, 0, F_E), \
             I(LOADK, 7, K(0), 0), insn, I(LOADK, 2, K(1), 0), I(RET, 2, 0, 0)))

CASE(c_jff_not_record)
{
  FUSED(I(JFF, bad ? 2 : 0, F_B, 10));
}

CASE(c_jff_field_index)
{
  FUSED(I(JFF, 0, bad ? F__IN : F_B, 10));
}

CASE(c_jtf_field_not_bool)
{
  FUSED(I(JTF, 0, bad ? F_N : F_B, 10));
}

CASE(c_jtf_optional_bool)
{
  /* record B { ob: bool (optional or not) }: an optional field may be absent */
  uint32_t f = tb_field(t, "ob", T_BOOL, bad ? REG_FIELD_OPTIONAL : 0);
  uint32_t rec = tb_record(t, "B", f, 1, bad ? 1 : 0);
  uint32_t ty = reg_builder_type(t->b, REG_TK_RECORD, rec);
  INTFN(RT(T_BOOL, ty, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 2, K(3), 0),
                                    I(RECORD, 1, 0, REG_NO_MASK), I(JTF, 1, 0, 5),
                                    I(LOADK, 2, K(4), 0), I(RET, 2, 0, 0)));
}

CASE(c_jff_backward)
{
  FUSED(I(JFF, 0, F_B, bad ? 8 : 10));
}

CASE(c_jempty_not_list)
{
  FUSED(I(JEMPTY, bad ? 2 : 5, 0, 10));
}

CASE(c_jnempty_unused_b)
{
  FUSED(I(JNEMPTY, 5, bad ? 1 : 0, 10));
}

CASE(c_jempty_unwritten)
{
  INTFN(RT(T_LI, T_INT), CODE(bad ? I(NOP, 0, 0, 0) : I(LOADEMPTY, 0, 0, 0),
                              I(LOADK, 1, K(1), 0), I(JEMPTY, 0, 0, 4), I(LOADK, 1, K(2), 0),
                              I(RET, 1, 0, 0)));
}

CASE(c_jtin_list_of_int)
{
  FUSED(I(JTIN, 3, bad ? 5 : 4, 10));
}

CASE(c_jntin_not_text)
{
  FUSED(I(JNTIN, bad ? 2 : 3, 4, 10));
}

CASE(c_jinset_not_enum)
{
  uint32_t k = K(3);
  FUSED(I(JINSET, bad ? 2 : 6, k, 10));
}

CASE(c_jninset_constant_index)
{
  uint32_t k = K(3);
  FUSED(I(JNINSET, 6, bad ? 0xffff : k, 10));
}

CASE(c_jinset_past_end)
{
  uint32_t k = K(3);
  FUSED(I(JINSET, 6, k, bad ? 11 : 10));
}

CASE(c_addf_field_type)
{
  FUSED(I(ADDF, bad ? 7 : 2, 0, F_N));
}

CASE(c_addf_not_number)
{
  FUSED(I(ADDF, bad ? 1 : 2, 0, bad ? F_B : F_N));
}

CASE(c_addf_not_record)
{
  FUSED(I(ADDF, 2, bad ? 2 : 0, F_N));
}

CASE(c_addf_field_index)
{
  FUSED(I(ADDF, 2, 0, bad ? F__IN : F_N));
}

CASE(c_addf_decimal_ok)
{
  /* ADDF of a decimal field into a decimal sum is fine; into an int sum it is not */
  FUSED(I(ADDF, bad ? 2 : 7, 0, F_D));
}

CASE(c_addf_optional_field)
{
  /* Sub.k is required; Opt.o is optional */
  INTFN(RT(T_INT, T_TEXT, T_OPT, T_INT, T_IN, T_SUB),
        CODE(I(LOADK, 0, K(5), 0), I(LOADS, 1, S("p"), 0), I(RECORD, 2, 0, REG_NO_MASK),
             I(LOADINPUT, 4, 0, 0), I(GETF, 5, 4, F_SUB), I(LOADK, 3, K(0), 0),
             I(ADDF, 3, bad ? 2 : 5, 0), I(RET, 3, 0, 0)));
}

CASE(c_addf_unwritten_sum)
{
  INTFN(RT(T_IN, T_INT), CODE(I(LOADINPUT, 0, 0, 0), bad ? I(NOP, 0, 0, 0) : I(LOADK, 1, K(0), 0),
                              I(ADDF, 1, 0, F_N), I(RET, 1, 0, 0)));
}

CASE(c_addf_loop_index)
{
  /* ADDF writes its sum: not into a loop's index */
  uint64_t c[10];
  loop_code(t, c);
  c[7] = I(ADDF, bad ? 3 : 5, 0, F_N);
  loop_fn(t, c, NULL);
}

/* r0 Kleur, r1 bool, r2 int, r3 text, r4 list of int, r5 list of text, r6 list of Kleur,
 * r7 list of list of int, r8 decimal */
#define LISTS(insn)                                                                        \
  INTFN(RT(T_E, T_BOOL, T_INT, T_TEXT, T_LI, T_LT, T_LE, T_LLI, T_DEC),                   \
        CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(1), 0), I(LOADK, 2, K(2), 0),                \
             I(LOADS, 3, S("x"), 0), I(LOADEMPTY, 4, 0, 0), I(LOADEMPTY, 5, 0, 0),            \
             I(ENUMLIST, 6, 0, 0), I(LOADEMPTY, 7, 0, 0), I(LOADK, 8, K(0), 0), insn,         \
             I(RET, 2, 0, 0)))

CASE(c_inset_operand)
{
  uint32_t k = K(5);
  LISTS(I(INSET, 1, bad ? 2 : 0, k));
}

CASE(c_inset_constant_index)
{
  uint32_t k = K(5);
  LISTS(I(INSET, 1, 0, bad ? 0xffff : k));
}

CASE(c_inset_dest)
{
  uint32_t k = K(5);
  LISTS(I(INSET, bad ? 2 : 1, 0, k));
}

CASE(c_tin_list_of_int)
{
  LISTS(I(TIN, 1, 3, bad ? 4 : 5));
}

CASE(c_tin_element_not_text)
{
  LISTS(I(TIN, 1, bad ? 2 : 3, 5));
}

CASE(c_vin_element_mismatch)
{
  LISTS(I(VIN, 1, bad ? 2 : 0, 6));
}

CASE(c_vin_on_text_list)
{
  /* text is not a scalar: VIN cannot compare it (TIN does) */
  LISTS(bad ? I(VIN, 1, 3, 5) : I(TIN, 1, 3, 5));
}

CASE(c_vin_on_list_of_lists)
{
  LISTS(I(VIN, 1, bad ? 4 : 2, bad ? 7 : 4));
}

CASE(c_vin_not_list)
{
  LISTS(I(VIN, 1, 2, bad ? 2 : 4));
}

CASE(c_len_not_list)
{
  LISTS(I(LEN, 2, bad ? 3 : 5, 0));
}

CASE(c_len_dest)
{
  LISTS(I(LEN, bad ? 8 : 2, 5, 0));
}

CASE(c_lnew_room_not_int)
{
  LISTS(I(LNEW, 4, bad ? 8 : 2, 0));
}

CASE(c_lnew_not_list)
{
  LISTS(I(LNEW, bad ? 2 : 4, 2, 0));
}

CASE(c_lpush_element_type)
{
  LISTS(I(LPUSH, 4, bad ? 3 : 2, 0));
}

CASE(c_lpush_not_list)
{
  LISTS(I(LPUSH, bad ? 2 : 4, 2, 0));
}

CASE(c_lpush_unwritten_list)
{
  INTFN(RT(T_INT, T_LI), CODE(I(LOADK, 0, K(1), 0), bad ? I(NOP, 0, 0, 0) : I(LNEW, 1, 0, 0),
                              I(LPUSH, 1, 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_lcat_types)
{
  LISTS(I(LCAT, 4, 4, bad ? 5 : 4));
}

CASE(c_lcat_dest)
{
  LISTS(I(LCAT, bad ? 5 : 4, 4, 4));
}

/* Out{y: r@field} written to register 1; r0 int, r2 decimal, r3 int (written unless @skip) */
static void
out_record(TB *t, uint32_t dst, uint32_t field, bool skip)
{
  INTFN(RT(T_INT, T_OUT, T_DEC, T_INT, T_INT),
        CODE(I(LOADK, 0, K(1), 0), I(LOADK, 2, K(0), 0),
             skip ? I(NOP, 0, 0, 0) : I(LOADK, 3, K(3), 0), I(RECORD, dst, field, REG_NO_MASK),
             I(RET, 0, 0, 0)));
}

CASE(c_record_dest_not_record)
{
  out_record(t, bad ? 4 : 1, 3, false);
}

CASE(c_record_fields_beyond_registers)
{
  out_record(t, 1, bad ? 5 : 3, false);
}

CASE(c_record_field_unwritten)
{
  out_record(t, 1, 3, bad);
}

CASE(c_record_field_type)
{
  out_record(t, 1, bad ? 2 : 3, false);
}

CASE(c_record_optional_unwritten_ok)
{
  /* an optional field may stay unwritten (absent); a required one may not */
  INTFN(RT(T_INT, T_TEXT, T_OPT, T_INT),
        CODE(I(LOADK, 3, K(1), 0), bad ? I(NOP, 0, 0, 0) : I(LOADS, 1, S("p"), 0),
             I(RECORD, 2, 0, REG_NO_MASK), I(RET, 3, 0, 0)));
}

/* f0(x: int, y: decimal): int; f1 calls it with its r@arg, r@arg+1 into r@dst */
static void
call_case(TB *t, uint32_t dst, uint32_t arg, bool write_args)
{
  uint32_t f0 = FN(2, T_INT, RT(T_INT, T_DEC), CODE(I(RET, 0, 0, 0)));
  INTFN(RT(T_INT, T_DEC, T_INT, T_DEC, T_DEC),
        CODE(write_args ? I(LOADK, 0, K(4), 0) : I(NOP, 0, 0, 0), I(LOADK, 1, K(0), 0),
             I(LOADK, 2, K(1), 0), I(LOADK, 3, K(2), 0), I(CALL, dst, f0, arg),
             I(RET, 2, 0, 0)));
}

CASE(c_call_argument_type)
{
  call_case(t, 2, bad ? 1 : 0, true); /* bad: r1 (decimal), r2 (int) */
}

CASE(c_call_argument_unwritten)
{
  call_case(t, 2, 0, !bad);
}

CASE(c_call_arguments_beyond_registers)
{
  call_case(t, 2, bad ? 4 : 0, true);
}

CASE(c_call_dest_type)
{
  call_case(t, bad ? 3 : 2, 0, true);
}

CASE(c_call_self)
{
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  uint32_t self = t->b->funcs->len;
  INTFN(RT(T_INT), CODE(I(CALL, 0, bad ? self : f0, 0), I(RET, 0, 0, 0)));
}

CASE(c_call_later_function)
{
  /* f0 calls f1 (bad) or f1 calls f0 (good): only earlier functions may be called */
  if (bad) {
    INTFN(RT(T_INT), CODE(I(CALL, 0, 1, 0), I(RET, 0, 0, 0)));
    INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  } else {
    INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
    INTFN(RT(T_INT), CODE(I(CALL, 0, 0, 0), I(RET, 0, 0, 0)));
  }
}

CASE(c_call_later_unreachable)
{
  /* even in unreachable code */
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0),
                        bad ? I(CALL, 0, 1, 0) : I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
}

CASE(c_global_of_itself)
{
  /* a cached rule computed by the function that reads it */
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  uint32_t g0 = tb_global(t, f0);
  uint32_t f1 = INTFN(RT(T_INT), CODE(I(GLOBAL, 0, g0, 0), I(RET, 0, 0, 0)));
  if (bad)
    g_array_index(t->b->globals, RegGlobal, g0).func = f1;
}

CASE(c_global_of_later_function)
{
  uint32_t g0 = tb_global(t, 0);
  INTFN(RT(T_INT), CODE(bad ? I(GLOBAL, 0, g0, 0) : I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  uint32_t f1 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  g_array_index(t->b->globals, RegGlobal, g0).func = f1;
}

/* The body untraced runs use instead of f0 (plain_of): f1, taking the same parameters
 * and giving the same type, or (bad) not. */
static void
tb_plain_body(TB *t, uint32_t f, uint32_t body)
{
  if (t->b->plain_of->len < t->b->funcs->len) {
    guint old = t->b->plain_of->len;
    g_array_set_size(t->b->plain_of, t->b->funcs->len);
    for (guint i = old; i < t->b->funcs->len; i++)
      g_array_index(t->b->plain_of, uint32_t, i) = i;
  }
  g_array_index(t->b->plain_of, uint32_t, f) = body;
}

CASE(c_plain_body_out_of_range)
{
  uint32_t f0 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(3), 0), I(RET, 0, 0, 0)));
  tb_plain_body(t, f0, bad ? 99 : f0);
}

CASE(c_plain_body_parameters)
{
  uint32_t f0 = FN(1, T_INT, RT(T_INT, T_INT), CODE(I(LOADK, 1, K(1), 0), I(RET, 1, 0, 0)));
  uint32_t f1 = FN(bad ? 0 : 1, T_INT, RT(T_INT, T_INT), CODE(I(LOADK, 1, K(2), 0), I(RET, 1, 0, 0)));
  tb_plain_body(t, f0, f1);
}

CASE(c_plain_body_parameter_type)
{
  uint32_t f0 = FN(1, T_INT, RT(T_INT, T_INT), CODE(I(LOADK, 1, K(1), 0), I(RET, 1, 0, 0)));
  uint32_t f1 = FN(1, T_INT, RT(bad ? T_DEC : T_INT, T_INT), CODE(I(LOADK, 1, K(2), 0), I(RET, 1, 0, 0)));
  tb_plain_body(t, f0, f1);
}

CASE(c_plain_body_result_type)
{
  uint32_t f0 = FN(1, T_INT, RT(T_INT, T_INT), CODE(I(LOADK, 1, K(1), 0), I(RET, 1, 0, 0)));
  uint32_t f1 = FN(1, bad ? T_DEC : T_INT, RT(T_INT, bad ? T_DEC : T_INT),
                   CODE(I(LOADK, 1, K(2), 0), I(RET, 1, 0, 0)));
  tb_plain_body(t, f0, f1);
}

/* r0 text, r1..r3 dates and a duration, r4 int, r5 decimal */
#define BUILTINS(insn)                                                                     \
  INTFN(RT(T_TEXT, T_DATE, T_DATE, T_DUR, T_INT, T_DEC, T_INT),                          \
        CODE(I(LOADS, 0, S("abc"), 0), I(LOADDATE, 1, 0, 0), I(LOADDATE, 2, 0, 0),            \
             I(LOADK, 4, K(1), 0), I(DUR, 3, 4, 2), I(LOADK, 5, K(1500000), 0), insn,         \
             I(RET, 4, 0, 0)))

CASE(c_builtin_argument_type)
{
  BUILTINS(I(BUILTIN, 4, REG_BI_TEXTLEN, bad ? 4 : 0));
}

CASE(c_builtin_arguments_beyond_registers)
{
  BUILTINS(I(BUILTIN, 4, REG_BI_PERIODS, bad ? 5 : 1));
}

CASE(c_builtin_result_type)
{
  BUILTINS(I(BUILTIN, bad ? 4 : 5, REG_BI_ABS, 5));
}

CASE(c_builtin_periods_order)
{
  /* PERIODS(date, date, duration): a date where the duration goes is wrong */
  BUILTINS(I(BUILTIN, 4, REG_BI_PERIODS, bad ? 0 : 1));
}

CASE(c_ret_type)
{
  INTFN(RT(T_INT, T_DEC), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(1), 0),
                               I(RET, bad ? 1 : 0, 0, 0)));
}

CASE(c_ret_unwritten)
{
  INTFN(RT(T_INT, T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, bad ? 1 : 0, 0, 0)));
}

CASE(c_fail_string_index)
{
  uint32_t s = S("boom");
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(FAIL, bad ? 0xffff : s, 0, 0)));
}

/* ---- registers written before they are read ---- */

CASE(c_read_unwritten)
{
  INTFN(RT(T_INT, T_INT),
        CODE(bad ? I(NOP, 0, 0, 0) : I(LOADK, 0, K(1), 0), I(MOVE, 1, 0, 0), I(RET, 1, 0, 0)));
}

CASE(c_read_unwritten_on_one_path)
{
  /* if c then r1 = 5 else r1 = 6 (good) / else nothing (bad); return r1 */
  INTFN(RT(T_BOOL, T_INT),
        CODE(I(LOADK, 0, K(1), 0), I(JF, 0, 4, 0), I(LOADK, 1, K(5), 0), I(JMP, 5, 0, 0),
             bad ? I(NOP, 0, 0, 0) : I(LOADK, 1, K(6), 0), I(RET, 1, 0, 0)));
}

CASE(c_read_unwritten_after_skip)
{
  /* a conditional jump over the only write (bad), or over the second of two */
  INTFN(RT(T_BOOL, T_INT),
        CODE(I(LOADK, 0, K(1), 0), bad ? I(NOP, 0, 0, 0) : I(LOADK, 1, K(4), 0),
             I(JT, 0, 4, 0), I(LOADK, 1, K(5), 0), I(RET, 1, 0, 0)));
}

CASE(c_parameters_are_written)
{
  /* the same code reads r0: fine as a parameter, unwritten otherwise */
  uint32_t f = FN(bad ? 0 : 1, T_INT, RT(T_INT), CODE(I(RET, 0, 0, 0)));
  (void) f;
}

CASE(c_parameters_beyond_registers)
{
  FN(bad ? 2 : 1, T_INT, RT(T_INT), CODE(I(RET, 0, 0, 0)));
}

/* ---- loops ---- */

/*
 *   0 LOADINPUT r0            r0 In, r1 list of int, r2 element, r3 index,
 *   1 GETF r1, r0, .li        r4 bool, r5 sum, r6 list of int (LNEW)
 *   2 LOADK r5, 0
 *   3 LOADK r4, true
 *   4 JF r4 -> 9
 *   5 LOOP r2, r1 -> 9
 *   6 ADD r5, r5, r2
 *   7 NOP
 *   8 NEXT r2, r1 -> 6
 *   9 RET r5
 */
static void
loop_code(TB *t, uint64_t *code)
{
  uint64_t c[10] = {
    I(LOADINPUT, 0, 0, 0), I(GETF, 1, 0, F_LI), I(LOADK, 5, K(0), 0), I(LOADK, 4, K(1), 0),
    I(JF, 4, 9, 0),        I(LOOP, 2, 1, 9),    I(ADD, 5, 5, 2),      I(NOP, 0, 0, 0),
    I(NEXT, 2, 1, 6),      I(RET, 5, 0, 0),
  };
  memcpy(code, c, sizeof c);
}

static uint32_t
loop_fn(TB *t, const uint64_t *code, const uint32_t *types)
{
  static const uint32_t std[] = { T_IN, T_LI, T_INT, T_INT, T_BOOL, T_INT, T_LI };
  return tb_fn(t, 0, T_INT, types ? types : std, 7, code, 10);
}

CASE(c_loop_sums)
{
  /* the loop program itself; bad: its NEXT jumps back to the LOOP instead of after it */
  uint64_t c[10];
  loop_code(t, c);
  if (bad)
    c[8] = I(NEXT, 2, 1, 5);
  loop_fn(t, c, NULL);
}

CASE(c_jump_into_loop_body)
{
  uint64_t c[10];
  loop_code(t, c);
  c[4] = I(JF, 4, bad ? 6 : 5, 0);
  loop_fn(t, c, NULL);
}

CASE(c_jump_to_next_from_outside)
{
  uint64_t c[10];
  loop_code(t, c);
  c[4] = I(JF, 4, bad ? 8 : 9, 0);
  loop_fn(t, c, NULL);
}

CASE(c_jump_out_of_loop_ok)
{
  /* leaving the body forward is fine; jumping back to the LOOP is not */
  uint64_t c[10];
  loop_code(t, c);
  c[7] = I(JT, 4, bad ? 5 : 9, 0);
  loop_fn(t, c, NULL);
}

CASE(c_jump_within_body_ok)
{
  uint64_t c[10];
  loop_code(t, c);
  c[6] = I(JT, 4, bad ? 6 : 8, 0);
  loop_fn(t, c, NULL);
}

CASE(c_backward_jmp)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(JMP, bad ? 0 : 2, 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_jmp_to_itself)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(JMP, bad ? 1 : 2, 0, 0), I(RET, 0, 0, 0)));
}

CASE(c_jf_backward)
{
  INTFN(RT(T_BOOL, T_INT), CODE(I(LOADK, 0, K(0), 0), I(LOADK, 1, K(1), 0),
                                I(JF, 0, bad ? 1 : 3, 0), I(RET, 1, 0, 0)));
}

CASE(c_next_target_not_loop_start)
{
  uint64_t c[10];
  loop_code(t, c);
  c[8] = I(NEXT, 2, 1, bad ? 7 : 6);
  loop_fn(t, c, NULL);
}

CASE(c_next_other_element)
{
  uint64_t c[10];
  loop_code(t, c);
  c[8] = I(NEXT, bad ? 5 : 2, 1, 6);
  loop_fn(t, c, NULL);
}

CASE(c_next_other_list)
{
  uint64_t c[10];
  loop_code(t, c);
  c[6] = I(LNEW, 6, 5, 0);
  c[8] = I(NEXT, 2, bad ? 6 : 1, 6);
  loop_fn(t, c, NULL);
}

CASE(c_next_outside_loop)
{
  uint64_t c[10];
  loop_code(t, c);
  c[5] = bad ? I(NOP, 0, 0, 0) : I(LOOP, 2, 1, 9);
  c[6] = I(NOP, 0, 0, 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_not_closed)
{
  uint64_t c[10];
  loop_code(t, c);
  c[8] = bad ? I(NOP, 0, 0, 0) : I(NEXT, 2, 1, 6);
  loop_fn(t, c, NULL);
}

CASE(c_next_before_loop_end)
{
  /* the LOOP says its NEXT is at 8: a NEXT at 7 does not close it */
  uint64_t c[10];
  loop_code(t, c);
  c[7] = bad ? I(NEXT, 2, 1, 6) : I(NOP, 0, 0, 0);
  c[8] = bad ? I(NOP, 0, 0, 0) : I(NEXT, 2, 1, 6);
  loop_fn(t, c, NULL);
}

CASE(c_loop_end_too_early)
{
  uint64_t c[10];
  loop_code(t, c);
  c[5] = I(LOOP, 2, 1, bad ? 6 : 9);
  loop_fn(t, c, NULL);
}

CASE(c_loop_end_past_function)
{
  uint64_t c[10];
  loop_code(t, c);
  c[5] = I(LOOP, 2, 1, bad ? 10 : 9);
  loop_fn(t, c, NULL);
}

CASE(c_loop_over_non_list)
{
  uint64_t c[10];
  loop_code(t, c);
  c[5] = I(LOOP, 2, bad ? 5 : 1, 9);
  c[8] = I(NEXT, 2, bad ? 5 : 1, 6);
  loop_fn(t, c, NULL);
}

CASE(c_loop_element_type)
{
  uint64_t c[10];
  loop_code(t, c);
  static const uint32_t dec_elem[] = { T_IN, T_LI, T_DEC, T_INT, T_BOOL, T_INT, T_LI };
  if (bad) {
    c[6] = I(NOP, 0, 0, 0);
    loop_fn(t, c, dec_elem);
  } else {
    loop_fn(t, c, NULL);
  }
}

CASE(c_loop_index_type)
{
  uint64_t c[10];
  loop_code(t, c);
  static const uint32_t dec_index[] = { T_IN, T_LI, T_INT, T_DEC, T_BOOL, T_INT, T_LI };
  loop_fn(t, c, bad ? dec_index : NULL);
}

CASE(c_loop_index_beyond_registers)
{
  /* the element in the last register leaves no room for the index */
  uint64_t c[10];
  loop_code(t, c);
  c[5] = I(LOOP, bad ? 6 : 2, 1, 9);
  c[6] = I(NOP, 0, 0, 0);
  c[8] = I(NEXT, bad ? 6 : 2, 1, 6);
  static const uint32_t types[] = { T_IN, T_LI, T_INT, T_INT, T_BOOL, T_INT, T_INT };
  loop_fn(t, c, types);
}

CASE(c_loop_unwritten_list)
{
  uint64_t c[10];
  loop_code(t, c);
  c[1] = bad ? I(NOP, 0, 0, 0) : I(GETF, 1, 0, F_LI);
  loop_fn(t, c, NULL);
}

CASE(c_loop_writes_element)
{
  uint64_t c[10];
  loop_code(t, c);
  c[7] = I(LOADK, bad ? 2 : 5, K(0), 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_writes_index)
{
  uint64_t c[10];
  loop_code(t, c);
  c[7] = I(LOADK, bad ? 3 : 5, K(0), 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_writes_list)
{
  uint64_t c[10];
  loop_code(t, c);
  c[7] = I(LOADEMPTY, bad ? 1 : 6, 0, 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_pushes_onto_list)
{
  /* LPUSH onto the list being iterated writes it */
  uint64_t c[10];
  loop_code(t, c);
  c[3] = I(LNEW, 6, 5, 0); /* r6 with room for 0: pushing fails at run time, not here */
  c[4] = I(LOADK, 4, K(1), 0);
  c[7] = I(LPUSH, bad ? 1 : 6, 2, 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_element_read_after_loop)
{
  /* after the loop the element is unwritten (the list may be empty); the sum is not */
  uint64_t c[10];
  loop_code(t, c);
  c[9] = I(RET, bad ? 2 : 5, 0, 0);
  loop_fn(t, c, NULL);
}

CASE(c_loop_index_read_after_loop_ok)
{
  /* the index is set on every path through the LOOP, the element only inside */
  uint64_t c[10];
  loop_code(t, c);
  c[4] = I(LOADK, 4, K(1), 0);
  c[9] = I(RET, bad ? 2 : 3, 0, 0);
  loop_fn(t, c, NULL);
}

CASE(c_nested_loop_reuses_registers)
{
  /* an inner loop over the same list may not reuse the outer loop's element registers */
  uint32_t d = bad ? 2 : 5;
  INTFN(RT(T_IN, T_LI, T_INT, T_INT, T_INT, T_INT, T_INT),
        CODE(I(LOADINPUT, 0, 0, 0), I(GETF, 1, 0, F_LI), I(LOADK, 4, K(0), 0),
             I(LOOP, 2, 1, 8), I(LOOP, d, 1, 7), I(NOP, 0, 0, 0), I(NEXT, d, 1, 5),
             I(NEXT, 2, 1, 4), I(RET, 4, 0, 0)));
}

CASE(c_loops_crossing)
{
  /* an inner loop must end (its NEXT) before the outer loop's NEXT */
  INTFN(RT(T_IN, T_LI, T_INT, T_INT, T_INT, T_INT, T_INT),
        CODE(I(LOADINPUT, 0, 0, 0), I(GETF, 1, 0, F_LI), I(LOADK, 4, K(0), 0),
             I(LOOP, 2, 1, bad ? 7 : 8), I(LOOP, 5, 1, bad ? 8 : 7), I(NOP, 0, 0, 0),
             bad ? I(NEXT, 2, 1, 4) : I(NEXT, 5, 1, 5), bad ? I(NEXT, 5, 1, 5) : I(NEXT, 2, 1, 4),
             I(RET, 4, 0, 0)));
}

/* @n loops nested in one another over In.li */
static void
nested_loops(TB *t, uint32_t n)
{
  uint32_t nregs = 3 + 2 * n, ninsns = 2 * n + 4;
  uint32_t *rt = g_new(uint32_t, nregs);
  uint64_t *code = g_new(uint64_t, ninsns);
  rt[0] = T_IN;
  rt[1] = T_LI;
  rt[2] = T_INT;
  for (uint32_t i = 3; i < nregs; i++)
    rt[i] = T_INT;
  code[0] = I(LOADINPUT, 0, 0, 0);
  code[1] = I(GETF, 1, 0, F_LI);
  code[2] = I(LOADK, 2, K(0), 0);
  /* LOOP i at 3 + i, its NEXT at 2n + 2 - i, its end at 2n + 3 - i */
  for (uint32_t i = 0; i < n; i++) {
    code[3 + i] = I(LOOP, 3 + 2 * i, 1, 2 * n + 3 - i);
    code[2 * n + 2 - i] = I(NEXT, 3 + 2 * i, 1, 4 + i);
  }
  code[ninsns - 1] = I(RET, 2, 0, 0);
  tb_fn(t, 0, T_INT, rt, nregs, code, ninsns);
  g_free(rt);
  g_free(code);
}

CASE(c_loops_nested_too_deep)
{
  nested_loops(t, bad ? 65 : 64);
}

/* ---- functions and calls ---- */

CASE(c_function_must_end_with_ret)
{
  uint32_t s = S("boom");
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0),
                        bad ? I(NOP, 0, 0, 0) : I(FAIL, s, 0, 0)));
}

CASE(c_function_ends_with_jump)
{
  INTFN(RT(T_BOOL, T_INT), CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(1), 0), I(JF, 0, 3, 0),
                                bad ? I(JT, 0, 4, 0) : I(RET, 1, 0, 0)));
}

CASE(c_function_without_code)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    FUNC(f)->ninsns = 0;
}

CASE(c_function_code_out_of_range)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad) /* points past the code section (the default view comes later) */
    FUNC(f)->first_insn = 1000;
}

CASE(c_function_register_types_out_of_range)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    FUNC(f)->first_reg_type = 1000;
}

CASE(c_register_type_out_of_range)
{
  INTFN(RT(T_INT, bad ? 1000u : T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
}

CASE(c_function_result_type_out_of_range)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    FUNC(f)->ret_type = 1000;
}

CASE(c_function_rule_out_of_range)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    FUNC(f)->rule = 0; /* there are no rules */
}

CASE(c_function_name_out_of_range)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    FUNC(f)->name = 0xffffff;
}

CASE(c_function_too_many_registers)
{
  uint32_t n = bad ? 65536 : 65535;
  uint32_t *rt = g_new(uint32_t, n);
  for (uint32_t i = 0; i < n; i++)
    rt[i] = T_INT;
  uint64_t code[] = { I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0) };
  tb_fn(t, 0, T_INT, rt, n, code, 2);
  g_free(rt);
  tb_view_calling(t, REG_NONE); /* calling it would need more than 65536 registers */
}

CASE(c_function_too_many_instructions)
{
  uint32_t n = bad ? 65536 : 65535;
  uint64_t *code = g_new(uint64_t, n);
  code[0] = I(LOADK, 0, K(1), 0);
  for (uint32_t i = 1; i < n - 1; i++)
    code[i] = I(NOP, 0, 0, 0);
  code[n - 1] = I(RET, 0, 0, 0);
  uint32_t rt[] = { T_INT };
  tb_fn(t, 0, T_INT, rt, 1, code, n);
  g_free(code);
}

/* f0 returns 1; f_i calls f_{i-1}; the output calls the last: @n + 1 frames deep. */
static void
call_chain(TB *t, uint32_t n)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  for (uint32_t i = 1; i < n; i++)
    f = INTFN(RT(T_INT), CODE(I(CALL, 0, f, 0), I(RET, 0, 0, 0)));
  tb_view_calling(t, f);
}

CASE(c_call_chain_too_deep)
{
  /* 256 frames (255 functions and the output) is the limit */
  call_chain(t, bad ? 256 : 255);
}

CASE(c_global_chain_too_deep)
{
  /* cached rules count as frames too */
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  uint32_t n = bad ? 256 : 255;
  for (uint32_t i = 1; i < n; i++) {
    uint32_t g = tb_global(t, f);
    f = INTFN(RT(T_INT), CODE(I(GLOBAL, 0, g, 0), I(RET, 0, 0, 0)));
  }
  tb_view_calling(t, f);
}

/* one function of @a registers calling one of @b registers */
CASE(c_frame_words_too_many)
{
  uint32_t na = 40000, nb = bad ? 25535 : 25534; /* + 2 of the output: 65536 is the limit */
  uint32_t *rt = g_new(uint32_t, na);
  for (uint32_t i = 0; i < na; i++)
    rt[i] = T_INT;
  uint64_t c0[] = { I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0) };
  uint32_t f0 = tb_fn(t, 0, T_INT, rt, na, c0, 2);
  uint64_t c1[] = { I(CALL, 0, f0, 0), I(RET, 0, 0, 0) };
  uint32_t f1 = tb_fn(t, 0, T_INT, rt, nb, c1, 2);
  g_free(rt);
  tb_view_calling(t, f1);
}

/* ---- types ---- */

CASE(c_type_list_of_itself)
{
  uint32_t n = t->b->types->len;
  RegType ty = { REG_TK_LIST, bad ? n : T_INT };
  g_array_append_val(t->b->types, ty);
}

CASE(c_type_record_containing_itself)
{
  /* record R { r: R } */
  uint32_t f = tb_field(t, "r", T_INT, 0);
  uint32_t rec = tb_record(t, "R", f, 1, 0);
  uint32_t ty = reg_builder_type(t->b, REG_TK_RECORD, rec);
  if (bad)
    FIELD(f)->type = ty;
}

CASE(c_type_mutual_recursion)
{
  /* record A { bs: list of B }, record B { a: A } */
  uint32_t fa = tb_field(t, "bs", T_INT, 0);
  uint32_t ra = tb_record(t, "A", fa, 1, 0);
  uint32_t fb = tb_field(t, "a", T_INT, 0);
  uint32_t rb = tb_record(t, "B", fb, 1, 0);
  uint32_t ta = reg_builder_type(t->b, REG_TK_RECORD, ra);
  uint32_t tb = reg_builder_type(t->b, REG_TK_RECORD, rb);
  uint32_t tlb = reg_builder_type(t->b, REG_TK_LIST, tb);
  FIELD(fa)->type = tlb;
  FIELD(fb)->type = bad ? ta : T_INT;
}

CASE(c_type_nested_too_deep)
{
  /* list of list of ... of int: 32 levels is the limit */
  uint32_t ty = T_INT;
  for (int i = 0; i < (bad ? 33 : 32); i++) {
    RegType l = { REG_TK_LIST, ty };
    g_array_append_val(t->b->types, l);
    ty = t->b->types->len - 1;
  }
}

CASE(c_type_unknown_kind)
{
  RegType ty = { bad ? REG_TK__COUNT : REG_TK_LIST, T_INT };
  g_array_append_val(t->b->types, ty);
}

CASE(c_type_primitive_again)
{
  /* the primitive kinds only at their fixed places */
  RegType ty = { bad ? REG_TK_INT : REG_TK_LIST, T_INT };
  g_array_append_val(t->b->types, ty);
}

CASE(c_type_primitive_changed)
{
  if (bad)
    TYPE(T_DEC)->kind = REG_TK_INT;
}

CASE(c_type_primitive_with_argument)
{
  if (bad)
    TYPE(T_DATE)->arg = 1;
}

CASE(c_type_enum_out_of_range)
{
  RegType ty = { REG_TK_ENUM, bad ? 2 : 1 };
  g_array_append_val(t->b->types, ty);
}

CASE(c_type_list_element_out_of_range)
{
  RegType ty = { REG_TK_LIST, bad ? 1000 : T_DATE };
  g_array_append_val(t->b->types, ty);
}

CASE(c_type_record_out_of_range)
{
  RegType ty = { REG_TK_RECORD, bad ? R__BASE : R_OPT };
  g_array_append_val(t->b->types, ty);
}

/* ---- enumerations ---- */

CASE(c_enum_without_members)
{
  if (bad)
    ENUM(E_SOORT)->nmembers = 0;
}

CASE(c_enum_with_65_members)
{
  const char *m[65];
  char names[65][8];
  for (int i = 0; i < 65; i++) {
    g_snprintf(names[i], sizeof names[i], "m%d", i);
    m[i] = names[i];
  }
  tb_enum(t, "Big", m, bad ? 65 : 64, false);
}

CASE(c_enum_members_out_of_range)
{
  if (bad)
    ENUM(E_SOORT)->nmembers = 3; /* one past the member table */
}

CASE(c_enum_open_flag)
{
  if (bad)
    ENUM(E_SOORT)->open = 2;
}

CASE(c_enum_name_out_of_range)
{
  if (bad)
    ENUM(E_KLEUR)->name = 0xfffff;
}

CASE(c_enum_member_name_out_of_range)
{
  if (bad)
    g_array_index(t->b->enum_members, uint32_t, 1) = 0xfffff;
}

CASE(c_enum_member_label_out_of_range)
{
  /* a member's label is a string or none */
  uint32_t labels[] = { S("Rood"), REG_NONE, bad ? 0xfffff : S("Blauw") };
  g_array_append_vals(t->b->enum_labels, labels, 3);
}

/* ---- records and fields ---- */

CASE(c_record_fields_out_of_range)
{
  if (bad)
    RECORD(R_OPT)->nfields = 3;
}

CASE(c_record_with_4097_fields)
{
  uint32_t n = bad ? 4097 : 4096, first = t->b->fields->len;
  for (uint32_t i = 0; i < n; i++) {
    char name[16];
    g_snprintf(name, sizeof name, "f%u", i);
    tb_field(t, name, T_INT, 0);
  }
  tb_record(t, "Wide", first, n, 0);
}

CASE(c_record_optional_count_wrong)
{
  if (bad)
    RECORD(R_OPT)->noptional = 0;
}

CASE(c_record_with_64_optional_fields)
{
  uint32_t n = bad ? 64 : 63, first = t->b->fields->len;
  for (uint32_t i = 0; i < n; i++) {
    char name[16];
    g_snprintf(name, sizeof name, "o%u", i);
    tb_field(t, name, T_INT, REG_FIELD_OPTIONAL);
  }
  tb_record(t, "Opts", first, n, n);
}

CASE(c_record_name_out_of_range)
{
  if (bad)
    RECORD(R_SUB)->name = 0xfffff;
}

CASE(c_field_name_out_of_range)
{
  if (bad)
    FIELD(FLD_OUT_Y)->name = 0xfffff;
}

CASE(c_field_type_out_of_range)
{
  if (bad)
    FIELD(FLD_OUT_Y)->type = 1000;
}

CASE(c_field_unknown_flag)
{
  if (bad)
    FIELD(FLD_OUT_Y)->flags = REG_FIELD__ALL + 1;
}

CASE(c_field_seven_decimals)
{
  FIELD(FLD_IN + F_D)->flags |= REG_FIELD_MAXDEC;
  FIELD(FLD_IN + F_D)->maxdec = bad ? 7 : 6;
}

/* a default for field @f of the input */
static void
field_default(TB *t, uint32_t f, int64_t v)
{
  FIELD(FLD_IN + f)->flags |= REG_FIELD_DEFAULT;
  FIELD(FLD_IN + f)->deflt = v;
}

CASE(c_field_default_bool)
{
  field_default(t, F_B, bad ? 2 : 1);
}

CASE(c_field_default_enum_past_end)
{
  field_default(t, F_E, bad ? 3 : 2);
}

CASE(c_field_default_enum_minus1_closed)
{
  field_default(t, F_E, bad ? -1 : 0);
}

CASE(c_field_default_enum_minus1_open)
{
  field_default(t, F_S, bad ? -2 : -1);
}

CASE(c_field_default_date)
{
  field_default(t, F_ASOF, bad ? REG_DATE_MAX + 1 : REG_DATE_MAX);
}

CASE(c_field_default_text_not_a_string)
{
  uint32_t s = S("standaard");
  field_default(t, F_T, bad ? 0xfffff : s);
}

CASE(c_field_default_text_negative)
{
  uint32_t s = S("standaard");
  field_default(t, F_T, bad ? -1 : (int64_t) s);
}

CASE(c_field_default_on_list)
{
  field_default(t, bad ? F_LI : F_N, 0);
}

CASE(c_field_default_on_record)
{
  field_default(t, bad ? F_SUB : F_D, 0);
}

CASE(c_field_minimum_on_text)
{
  FIELD(FLD_IN + (bad ? F_T : F_D))->flags |= REG_FIELD_MIN;
}

CASE(c_field_decimals_on_int)
{
  FIELD(FLD_IN + (bad ? F_N : F_D))->flags |= REG_FIELD_MAXDEC;
}

CASE(c_field_key_not_text)
{
  FIELD(FLD_IN + F_T)->flags &= ~(uint32_t) REG_FIELD_KEY;
  FIELD(FLD_IN + (bad ? F_N : F_T))->flags |= REG_FIELD_KEY;
}

CASE(c_field_evaluation_date_not_date)
{
  FIELD(FLD_IN + F_ASOF)->flags &= ~(uint32_t) REG_FIELD_ASOF;
  FIELD(FLD_IN + (bad ? F_N : F_ASOF))->flags |= REG_FIELD_ASOF;
}

/* ---- the input ---- */

CASE(c_input_record_out_of_range)
{
  if (bad)
    t->b->input_record = R__BASE;
}

CASE(c_input_record_without_type)
{
  uint32_t f = tb_field(t, "z", T_INT, 0);
  uint32_t r = tb_record(t, "Untyped", f, 1, 0);
  if (bad)
    t->b->input_record = r;
}

CASE(c_input_with_optional_field)
{
  /* the reader fills every input field: none may be optional */
  if (bad)
    t->b->input_record = R_OPT;
}

CASE(c_input_nested_optional_field)
{
  /* ... nor in a record reachable from the input (here through a list) */
  RegType l = { REG_TK_LIST, T_OPT };
  g_array_append_val(t->b->types, l);
  if (bad)
    FIELD(FLD_IN + F_SUBS)->type = t->b->types->len - 1;
}

/* ---- source locations ---- */

CASE(c_location_file_out_of_range)
{
  if (bad)
    g_array_index(t->b->locs, RegLoc, 0).file = 0xfffff;
}

CASE(c_instruction_location_out_of_range)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  if (bad)
    g_array_index(t->b->insn_locs, uint32_t, 1) = 1;
}

/* ---- rules ---- */

static RegRuleInfo *
tb_rule(TB *t, uint32_t func)
{
  RegRuleInfo r = { .name = S("regel"), .kind = REG_RULE_RULE, .func = func, .loc = t->loc,
                    .basis = REG_NONE, .explain = REG_NONE, .params = S("") };
  g_array_append_val(t->b->rules, r);
  FUNC(func)->rule = t->b->rules->len - 1;
  return &g_array_index(t->b->rules, RegRuleInfo, t->b->rules->len - 1);
}

#define RULE_CASE(name, field, good, badv)                                                 \
  CASE(name)                                                                               \
  {                                                                                        \
    uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));               \
    RegRuleInfo *r = tb_rule(t, f);                                                        \
    r->field = bad ? (badv) : (good);                                                      \
    tb_view_calling(t, f);                                                                 \
  }

RULE_CASE(c_rule_name_out_of_range, name, S("regel"), 0xfffffu)
RULE_CASE(c_rule_kind, kind, REG_RULE_VIEW, REG_RULE_VIEW + 1)
RULE_CASE(c_rule_function_out_of_range, func, 0, 1000)
RULE_CASE(c_rule_location_out_of_range, loc, 0, 1)
RULE_CASE(c_rule_basis_out_of_range, basis, S("wet"), 0xfffffu)
RULE_CASE(c_rule_has_from_flag, has_from, 0, 2)
RULE_CASE(c_rule_explanation_out_of_range, explain, S("uitleg"), 0xfffffu)
RULE_CASE(c_rule_parameter_names_out_of_range, params, S(""), REG_NONE)

CASE(c_rule_from_invalid_date)
{
  uint32_t f = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  RegRuleInfo *r = tb_rule(t, f);
  r->has_from = 1;
  r->from = bad ? REG_DATE_MIN - 1 : REG_DATE_MIN;
  tb_view_calling(t, f);
}

/* ---- cached rules (globals) ---- */

CASE(c_global_function_out_of_range)
{
  INTFN(RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_global(t, bad ? 1000 : 0);
}

CASE(c_global_function_with_parameters)
{
  FN(bad ? 1 : 0, T_INT, RT(T_INT), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_global(t, 0);
}

/* ---- outputs (views) ---- */

CASE(c_view_none)
{
  t->no_view = bad;
}

CASE(c_view_default_out_of_range)
{
  tb_view_calling(t, REG_NONE);
  t->b->default_view = bad ? 1 : 0;
}

CASE(c_view_name_out_of_range)
{
  tb_view_calling(t, REG_NONE);
  if (bad)
    g_array_index(t->b->views, RegView, 0).name = 0xfffff;
}

CASE(c_view_record_out_of_range)
{
  tb_view_calling(t, REG_NONE);
  if (bad)
    g_array_index(t->b->views, RegView, 0).record = R__BASE;
}

CASE(c_view_function_out_of_range)
{
  tb_view_calling(t, REG_NONE);
  if (bad)
    g_array_index(t->b->views, RegView, 0).func = 1000;
}

CASE(c_view_returns_another_record)
{
  /* the output names Out but its function returns Sub */
  uint32_t f = FN(0, bad ? T_SUB : T_OUT, RT(T_INT, T_OUT, T_SUB),
                  CODE(I(LOADK, 0, K(7), 0), I(RECORD, bad ? 2 : 1, 0, REG_NO_MASK),
                       I(RET, bad ? 2 : 1, 0, 0)));
  tb_add_view(t, f);
}

CASE(c_view_returns_int)
{
  uint32_t f = FN(0, bad ? T_INT : T_OUT, RT(T_INT, T_OUT),
                  CODE(I(LOADK, 0, K(7), 0), I(RECORD, 1, 0, REG_NO_MASK),
                       I(RET, bad ? 0 : 1, 0, 0)));
  tb_add_view(t, f);
}

CASE(c_view_function_with_parameters)
{
  uint32_t f = FN(bad ? 1 : 0, T_OUT, RT(T_INT, T_OUT),
                  CODE(I(LOADK, 0, K(7), 0), I(RECORD, 1, 0, REG_NO_MASK), I(RET, 1, 0, 0)));
  tb_add_view(t, f);
}

/* ---- requirements (checks) ---- */

static void
tb_check(TB *t, uint32_t func, uint32_t message)
{
  RegCheck c = { func, message };
  g_array_append_val(t->b->checks, c);
}

CASE(c_check_function_out_of_range)
{
  uint32_t f = FN(0, T_BOOL, RT(T_BOOL), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_check(t, bad ? 1000 : f, S("bad"));
}

CASE(c_check_returns_int)
{
  uint32_t f = FN(0, bad ? T_INT : T_BOOL, RT(bad ? T_INT : T_BOOL),
                  CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_check(t, f, S("bad"));
}

CASE(c_check_with_parameters)
{
  uint32_t f = FN(bad ? 1 : 0, T_BOOL, RT(T_BOOL), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_check(t, f, S("bad"));
}

CASE(c_check_message_out_of_range)
{
  uint32_t f = FN(0, T_BOOL, RT(T_BOOL), CODE(I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
  tb_check(t, f, bad ? 0xfffff : S("bad"));
}

/* ---- condition sites (explanations) ---- */

/* f: r0, r1 int, r2 bool = r0 < r1, r3, r4 text; a condition at pc 2 */
static RegCond *
cond_case(TB *t)
{
  uint32_t f = INTFN(RT(T_INT, T_INT, T_BOOL, T_TEXT, T_TEXT, T_LI),
                     CODE(I(LOADK, 0, K(1), 0), I(LOADK, 1, K(2), 0), I(LT, 2, 0, 1),
                          I(RET, 0, 0, 0)));
  RegCond c = { .func = f, .pc = 2, .label = S("x < y"), .rule = REG_NONE, .cmp = REG_CMP_LT,
                .lhs = 0, .rhs = 1 };
  g_array_append_val(t->b->conds, c);
  tb_view_calling(t, f);
  return &g_array_index(t->b->conds, RegCond, t->b->conds->len - 1);
}

CASE(c_cond_function_out_of_range)
{
  RegCond *c = cond_case(t);
  if (bad)
    c->func = 1000;
}

CASE(c_cond_pc_out_of_range)
{
  RegCond *c = cond_case(t);
  c->pc = bad ? 4 : 3;
}

CASE(c_cond_rule_out_of_range)
{
  RegCond *c = cond_case(t);
  if (bad)
    c->rule = 0;
}

CASE(c_cond_comparison_kind)
{
  RegCond *c = cond_case(t);
  c->cmp = bad ? REG_CMP__LAST + 1 : REG_CMP__LAST;
}

CASE(c_cond_comparison_high_bits)
{
  /* the text and negated flags are known; a flag bit above them is not */
  RegCond *c = cond_case(t);
  c->cmp |= bad ? 0x400 : REG_CMP_NEGATED;
}

CASE(c_cond_label_out_of_range)
{
  RegCond *c = cond_case(t);
  if (bad)
    c->label = 0xfffff;
}

CASE(c_cond_operand_out_of_range)
{
  RegCond *c = cond_case(t);
  c->rhs = bad ? 6 : 1;
}

CASE(c_cond_operand_types_differ)
{
  RegCond *c = cond_case(t);
  c->rhs = bad ? 2 : 1;
}

CASE(c_cond_text_flag_on_ints)
{
  RegCond *c = cond_case(t);
  if (bad)
    c->cmp |= REG_CMP_TEXT;
}

CASE(c_cond_text_operands_need_flag)
{
  RegCond *c = cond_case(t);
  c->lhs = 3;
  c->rhs = 4;
  c->cmp = bad ? REG_CMP_EQ : (REG_CMP_EQ | REG_CMP_TEXT);
}

CASE(c_cond_list_operands)
{
  RegCond *c = cond_case(t);
  c->lhs = c->rhs = bad ? 5 : 0;
}

CASE(c_cond_none_ignores_operands)
{
  /* a plain boolean site has no operands to check; a comparison does */
  RegCond *c = cond_case(t);
  c->lhs = c->rhs = 1000;
  c->cmp = bad ? REG_CMP_EQ : REG_CMP_NONE;
}

/* ---- strings and the criteria's name ---- */

/* Appends a string of raw bytes (the builder's own interning wants C strings). */
static uint32_t
tb_raw_string(TB *t, const char *s, uint32_t len)
{
  g_byte_array_append(t->b->str_bytes, (const guint8 *) s, len);
  g_array_append_val(t->b->str_lens, len);
  return t->b->str_lens->len - 1;
}

CASE(c_string_not_utf8)
{
  tb_raw_string(t, bad ? "ab\xff" : "ab\xc3\xa9", bad ? 3 : 4);
}

CASE(c_string_overlong_utf8)
{
  tb_raw_string(t, bad ? "\xc0\xaf" : "\xc2\xaf", 2);
}

CASE(c_string_with_nul)
{
  tb_raw_string(t, "a\0b", bad ? 3 : 1);
}

CASE(c_criteria_name_out_of_range)
{
  if (bad)
    t->b->name = 0xfffff;
}

CASE(c_criteria_version_out_of_range)
{
  if (bad)
    t->b->version = REG_NONE;
}

typedef struct {
  const char *name;
  const char *proves;
  void (*build)(TB *t, bool bad);
} Case;

#define C(fn, proves) { #fn, proves, fn }

static const Case cases[] = {
  /* operand kinds */
  C(c_reg_a, "a destination register beyond the frame is rejected"),
  C(c_reg_b, "a source register (operand b) beyond the frame is rejected"),
  C(c_reg_c, "a source register (operand c) beyond the frame is rejected"),
  C(c_reg_max, "register 0xffff is not a register"),
  C(c_const_index, "a constant index beyond the pool is rejected"),
  C(c_const_index_first_past, "the constant index one past the last is rejected"),
  C(c_string_index, "a string index beyond the table is rejected"),
  C(c_global_index, "a cached-rule index one past the last is rejected"),
  C(c_field_index, "a field index one past the record's fields is rejected"),
  C(c_jump_target_end, "a jump target one past the function's last instruction is rejected"),
  C(c_jump_target_far, "a jump target far beyond the function is rejected"),
  C(c_function_index, "a call of a function index beyond the table is rejected"),
  C(c_builtin_number, "a builtin number one past the last builtin is rejected"),
  C(c_duration_unit, "a duration unit other than days, weeks, months, years is rejected"),
  C(c_mask_register_range, "a presence-mask register beyond the frame is rejected"),
  C(c_mask_register_type, "a presence-mask register that is not an int is rejected"),
  C(c_mask_register_unwritten, "a presence-mask register not yet written is rejected"),
  C(c_mask_none_is_fine, "0xffff means no mask; 0xfffe is an (out of range) register"),
  C(c_mask_without_optional_fields, "a presence mask for a record without optional fields is rejected"),
  C(c_unused_a_nonzero, "an unused operand a that is not zero is rejected"),
  C(c_unused_b_nonzero, "an unused operand b that is not zero is rejected"),
  C(c_unused_c_nonzero, "an unused operand c that is not zero is rejected"),
  C(c_unused_jmp_b_nonzero, "JMP's unused operand b must be zero"),
  C(c_unused_ret_c_nonzero, "RET's unused operand c must be zero"),
  C(c_unused_fail_b_nonzero, "FAIL's unused operand b must be zero"),
  C(c_reserved_byte, "the reserved byte of an instruction must be zero (low bit)"),
  C(c_reserved_byte_high, "the reserved byte of an instruction must be zero (high bit)"),
  C(c_unknown_opcode, "the first opcode number past the last opcode is rejected"),
  C(c_unknown_opcode_ff, "opcode 0xff is rejected"),
  /* type rules */
  C(c_move_types_differ, "MOVE between registers of different types is rejected"),
  C(c_loadk_text, "LOADK into a text register is rejected"),
  C(c_loadk_list, "LOADK into a list register is rejected"),
  C(c_loadk_record, "LOADK into a record register is rejected"),
  C(c_loadk_bool_2, "a boolean constant other than 0 and 1 is rejected (2)"),
  C(c_loadk_bool_negative, "a boolean constant other than 0 and 1 is rejected (-1)"),
  C(c_loadk_enum_past_end, "an enum constant one past the last member is rejected"),
  C(c_loadk_enum_minus1_closed, "enum constant -1 (unknown) is rejected for a closed enumeration"),
  C(c_loadk_enum_minus1_open, "enum constant -1 is accepted for an open enumeration, -2 is not"),
  C(c_loadk_enum_open_past_end, "an open enumeration's constant past its members is rejected"),
  C(c_loadk_enum_huge, "enum constant INT64_MIN is rejected"),
  C(c_loadk_date_after_max, "a date constant after 9999-12-31 is rejected"),
  C(c_loadk_date_before_min, "a date constant before 0001-01-01 is rejected"),
  C(c_loadk_date_int64_min, "date constant INT64_MIN is rejected"),
  C(c_loads_not_text, "LOADS into a non-text register is rejected"),
  C(c_loadempty_not_list, "LOADEMPTY into a non-list register is rejected"),
  C(c_enumlist_of_non_enum, "ENUMLIST into a list of non-enum elements is rejected"),
  C(c_enumlist_not_list, "ENUMLIST into a non-list register is rejected"),
  C(c_loadinput_other_record, "LOADINPUT into another record type is rejected"),
  C(c_loadinput_not_record, "LOADINPUT into a non-record register is rejected"),
  C(c_loaddate_not_date, "LOADDATE into a non-date register is rejected"),
  C(c_global_type, "GLOBAL into a register of another type than the rule's result is rejected"),
  C(c_getf_not_record, "GETF from a non-record register is rejected"),
  C(c_getf_dest_type, "GETF into a register of another type than the field is rejected"),
  C(c_getf_unwritten_record, "GETF from a record register not yet written is rejected"),
  C(c_getf_optional_field, "GETF of an optional (maybe absent) field is rejected"),
  C(c_not_operand, "NOT of a non-boolean is rejected"),
  C(c_not_dest, "NOT into a non-boolean register is rejected"),
  C(c_eq_dest_not_bool, "EQ into a non-boolean register is rejected"),
  C(c_eq_operands_differ, "EQ of an int and a decimal is rejected"),
  C(c_eq_on_text, "EQ of texts is rejected (TEQ compares text)"),
  C(c_ne_on_list, "NE of lists is rejected"),
  C(c_eq_on_duration_ok, "EQ of durations is accepted; of a duration and an int, rejected"),
  C(c_lt_on_enum, "LT of enums is rejected (not ordered)"),
  C(c_le_on_bool, "LE of booleans is rejected (not ordered)"),
  C(c_lt_on_date_ok_text_not, "LT of dates is accepted; of texts, rejected"),
  C(c_le_on_duration, "LE of durations is rejected (not ordered)"),
  C(c_tlt_on_int, "TLT of ints is rejected"),
  C(c_tle_dest_not_bool, "TLE into a non-boolean register is rejected"),
  C(c_tne_mixed, "TNE of a text and an int is rejected"),
  C(c_add_on_date, "ADD of dates is rejected"),
  C(c_add_mixed, "ADD of an int and a decimal is rejected"),
  C(c_sub_dest_type, "SUB of ints into a decimal register is rejected"),
  C(c_min_on_bool, "MIN of booleans is rejected"),
  C(c_max_on_date_ok_text_not, "MAX of dates is accepted; of texts, rejected"),
  C(c_max_on_enum, "MAX of enums is rejected"),
  C(c_muli_on_decimal, "MULI of decimals is rejected"),
  C(c_muld_on_int, "MULD of ints is rejected"),
  C(c_divd_on_int, "DIVD of ints is rejected"),
  C(c_divd_mixed, "DIVD of a decimal by an int is rejected"),
  C(c_neg_on_text, "NEG of a text is rejected"),
  C(c_neg_on_date, "NEG of a date is rejected"),
  C(c_neg_types_differ, "NEG of an int into a decimal register is rejected"),
  C(c_i2d_dest, "I2D into a non-decimal register is rejected"),
  C(c_i2d_operand, "I2D of a decimal is rejected"),
  C(c_dadd_duration_operand, "DADD of a date and an int (not a duration) is rejected"),
  C(c_dadd_date_operand, "DADD of a duration and a duration (not a date) is rejected"),
  C(c_dsub_dest, "DSUB into a non-date register is rejected"),
  C(c_ddiff_dest, "DDIFF into a non-int register is rejected"),
  C(c_ddiff_operand, "DDIFF of a date and a duration is rejected"),
  C(c_dur_operand, "DUR of a decimal count is rejected"),
  C(c_dur_dest, "DUR into a non-duration register is rejected"),
  C(c_durmul_operand, "DURMUL by a duration (not an int) is rejected"),
  C(c_duradd_operand, "DURADD of a duration and an int is rejected"),
  C(c_jf_not_bool, "JF on a non-boolean is rejected"),
  C(c_jt_not_bool, "JT on a non-boolean is rejected"),
  C(c_jeq_types_differ, "JEQ of an int and a boolean is rejected"),
  C(c_jlt_on_bool, "JLT of booleans is rejected (not ordered)"),
  C(c_jle_on_enum, "JLE of enums is rejected (not ordered)"),
  C(c_jne_on_text, "JNE of texts is rejected (JTNE compares text)"),
  C(c_jteq_on_int, "JTEQ of ints is rejected"),
  C(c_jeq_backward, "a JEQ jumping backward is rejected"),
  C(c_jeq_unwritten, "JEQ reading a register not yet written is rejected"),
  C(c_jff_not_record, "JFF on a non-record is rejected"),
  C(c_jff_field_index, "JFF of a field index past the record's fields is rejected"),
  C(c_jtf_field_not_bool, "JTF of an int field is rejected"),
  C(c_jtf_optional_bool, "JTF of an optional boolean field is rejected"),
  C(c_jff_backward, "a JFF jumping to itself is rejected"),
  C(c_jempty_not_list, "JEMPTY of a non-list is rejected"),
  C(c_jnempty_unused_b, "JNEMPTY's unused operand b must be zero"),
  C(c_jempty_unwritten, "JEMPTY of a list register not yet written is rejected"),
  C(c_jtin_list_of_int, "JTIN in a list of ints is rejected"),
  C(c_jntin_not_text, "JNTIN of an int is rejected"),
  C(c_jinset_not_enum, "JINSET of a non-enum is rejected"),
  C(c_jninset_constant_index, "JNINSET with a mask constant index beyond the pool is rejected"),
  C(c_jinset_past_end, "a JINSET jumping past the function is rejected"),
  C(c_addf_field_type, "ADDF of an int field into a decimal sum is rejected"),
  C(c_addf_not_number, "ADDF of a boolean field into a boolean is rejected"),
  C(c_addf_not_record, "ADDF from a non-record is rejected"),
  C(c_addf_field_index, "ADDF of a field index past the record's fields is rejected"),
  C(c_addf_decimal_ok, "ADDF of a decimal field into a decimal sum is accepted, into an int not"),
  C(c_addf_optional_field, "ADDF of an optional field is rejected"),
  C(c_addf_unwritten_sum, "ADDF into a sum not yet written is rejected"),
  C(c_addf_loop_index, "ADDF into a loop's index register is rejected"),
  C(c_inset_operand, "INSET of a non-enum is rejected"),
  C(c_inset_constant_index, "INSET with a mask constant index beyond the pool is rejected"),
  C(c_inset_dest, "INSET into a non-boolean register is rejected"),
  C(c_tin_list_of_int, "TIN in a list of ints is rejected"),
  C(c_tin_element_not_text, "TIN of an int in a list of texts is rejected"),
  C(c_vin_element_mismatch, "VIN of an int in a list of enums is rejected"),
  C(c_vin_on_text_list, "VIN of a text in a list of texts is rejected (TIN does that)"),
  C(c_vin_on_list_of_lists, "VIN of a list in a list of lists is rejected"),
  C(c_vin_not_list, "VIN in a non-list is rejected"),
  C(c_len_not_list, "LEN of a non-list is rejected"),
  C(c_len_dest, "LEN into a non-int register is rejected"),
  C(c_lnew_room_not_int, "LNEW with a decimal room is rejected"),
  C(c_lnew_not_list, "LNEW into a non-list register is rejected"),
  C(c_lpush_element_type, "LPUSH of a text onto a list of ints is rejected"),
  C(c_lpush_not_list, "LPUSH onto a non-list is rejected"),
  C(c_lpush_unwritten_list, "LPUSH onto a list register not yet written is rejected"),
  C(c_lcat_types, "LCAT of a list of ints and a list of texts is rejected"),
  C(c_lcat_dest, "LCAT into a list of another element type is rejected"),
  C(c_record_dest_not_record, "RECORD into a non-record register is rejected"),
  C(c_record_fields_beyond_registers, "RECORD taking fields from beyond the frame is rejected"),
  C(c_record_field_unwritten, "RECORD from a required field register not yet written is rejected"),
  C(c_record_field_type, "RECORD from a field register of the wrong type is rejected"),
  C(c_record_optional_unwritten_ok, "an unwritten optional field is fine; an unwritten required one is not"),
  C(c_call_argument_type, "CALL with an argument of the wrong type is rejected"),
  C(c_call_argument_unwritten, "CALL with an argument not yet written is rejected"),
  C(c_call_arguments_beyond_registers, "CALL taking arguments from beyond the frame is rejected"),
  C(c_call_dest_type, "CALL into a register of another type than the result is rejected"),
  C(c_builtin_argument_type, "BUILTIN TEXTLEN of an int is rejected"),
  C(c_builtin_arguments_beyond_registers, "BUILTIN taking arguments from beyond the frame is rejected"),
  C(c_builtin_result_type, "BUILTIN ABS into an int register is rejected"),
  C(c_builtin_periods_order, "BUILTIN PERIODS with a text where a date goes is rejected"),
  C(c_ret_type, "RET of a decimal from an int function is rejected"),
  C(c_ret_unwritten, "RET of a register not yet written is rejected"),
  C(c_fail_string_index, "FAIL with a message string beyond the table is rejected"),
  /* written before read */
  C(c_read_unwritten, "reading a register never written is rejected"),
  C(c_read_unwritten_on_one_path, "a register written on only one path of a branch cannot be read after it"),
  C(c_read_unwritten_after_skip, "a register whose only write a conditional jump skips cannot be read"),
  C(c_parameters_are_written, "parameters count as written; the same read without a parameter is rejected"),
  C(c_parameters_beyond_registers, "more parameters than registers is rejected"),
  /* jumps and loops */
  C(c_loop_sums, "the loop over In.li sums it; a NEXT jumping back to its LOOP is rejected"),
  C(c_jump_into_loop_body, "a jump from outside into a loop body is rejected (to the LOOP is fine)"),
  C(c_jump_to_next_from_outside, "a jump from outside to a loop's NEXT is rejected (past it is fine)"),
  C(c_jump_out_of_loop_ok, "a forward jump out of a loop body is fine; back to its LOOP is not"),
  C(c_jump_within_body_ok, "a forward jump within a loop body is fine; to itself is not"),
  C(c_backward_jmp, "a backward JMP is rejected"),
  C(c_jmp_to_itself, "a JMP to itself is rejected"),
  C(c_jf_backward, "a backward JF is rejected"),
  C(c_next_target_not_loop_start, "a NEXT jumping elsewhere than just after its LOOP is rejected"),
  C(c_next_other_element, "a NEXT naming another element register than its LOOP is rejected"),
  C(c_next_other_list, "a NEXT naming another list register than its LOOP is rejected"),
  C(c_next_outside_loop, "a NEXT without a LOOP is rejected"),
  C(c_loop_not_closed, "a LOOP whose end is reached without its NEXT is rejected"),
  C(c_next_before_loop_end, "a NEXT before the place its LOOP names is rejected"),
  C(c_loop_end_too_early, "a LOOP whose end leaves no room for a NEXT is rejected"),
  C(c_loop_end_past_function, "a LOOP whose end is past the function is rejected"),
  C(c_loop_over_non_list, "a LOOP over a non-list is rejected"),
  C(c_loop_element_type, "a LOOP element register of another type than the elements is rejected"),
  C(c_loop_index_type, "a LOOP index register (element + 1) that is not an int is rejected"),
  C(c_loop_index_beyond_registers, "a LOOP element in the last register (no room for the index) is rejected"),
  C(c_loop_unwritten_list, "a LOOP over a list register not yet written is rejected"),
  C(c_loop_writes_element, "writing the loop's element register in its body is rejected"),
  C(c_loop_writes_index, "writing the loop's index register in its body is rejected"),
  C(c_loop_writes_list, "writing the loop's list register in its body is rejected"),
  C(c_loop_pushes_onto_list, "LPUSH onto the list being looped over is rejected"),
  C(c_loop_element_read_after_loop, "the element register is unwritten after the loop (empty list)"),
  C(c_loop_index_read_after_loop_ok, "the index register is written after the loop; the element is not"),
  C(c_nested_loop_reuses_registers, "an inner loop reusing the outer loop's registers is rejected"),
  C(c_loops_crossing, "loops that cross (the outer's NEXT before the inner's) are rejected"),
  C(c_loops_nested_too_deep, "64 nested loops are accepted, 65 rejected"),
  /* functions and calls */
  C(c_function_must_end_with_ret, "a function ending in something else than RET or FAIL is rejected"),
  C(c_function_ends_with_jump, "a conditional jump as the last instruction is rejected (it has no target)"),
  C(c_function_without_code, "a function without instructions is rejected"),
  C(c_function_code_out_of_range, "a function whose code lies outside the code section is rejected"),
  C(c_function_register_types_out_of_range, "a function whose register types lie outside their table is rejected"),
  C(c_register_type_out_of_range, "a register of a type beyond the type table is rejected"),
  C(c_function_result_type_out_of_range, "a function result type beyond the type table is rejected"),
  C(c_function_rule_out_of_range, "a function naming a rule beyond the rule table is rejected"),
  C(c_function_name_out_of_range, "a function name beyond the string table is rejected"),
  C(c_function_too_many_registers, "65535 registers are accepted, 65536 rejected"),
  C(c_function_too_many_instructions, "65535 instructions are accepted, 65536 rejected"),
  C(c_call_self, "a CALL of the calling function itself (recursion) is rejected"),
  C(c_call_later_function, "a CALL of a later function is rejected"),
  C(c_call_later_unreachable, "a CALL of a later function is rejected even in unreachable code"),
  C(c_global_of_itself, "a GLOBAL computed by the function reading it is rejected"),
  C(c_global_of_later_function, "a GLOBAL computed by a later function is rejected"),
  C(c_plain_body_out_of_range, "a body for untraced runs beyond the function table is rejected"),
  C(c_plain_body_parameters, "a body for untraced runs with another number of parameters is rejected"),
  C(c_plain_body_parameter_type, "a body for untraced runs with another parameter type is rejected"),
  C(c_plain_body_result_type, "a body for untraced runs with another result type is rejected"),
  C(c_call_chain_too_deep, "call chains of 256 frames are accepted, 257 rejected"),
  C(c_global_chain_too_deep, "chains of cached rules count as frames: 257 rejected"),
  C(c_frame_words_too_many, "call chains needing 65536 registers are accepted, 65537 rejected"),
  /* types */
  C(c_type_list_of_itself, "a list type whose element is itself is rejected"),
  C(c_type_record_containing_itself, "a record with a field of its own type is rejected"),
  C(c_type_mutual_recursion, "records containing each other (through a list) are rejected"),
  C(c_type_nested_too_deep, "types nested 32 deep are accepted, 33 rejected"),
  C(c_type_unknown_kind, "a type of an unknown kind is rejected"),
  C(c_type_primitive_again, "a primitive type outside the fixed primitive places is rejected"),
  C(c_type_primitive_changed, "a changed primitive type (decimal as int) is rejected"),
  C(c_type_primitive_with_argument, "a primitive type with an argument is rejected"),
  C(c_type_enum_out_of_range, "an enum type naming an enumeration beyond the table is rejected"),
  C(c_type_list_element_out_of_range, "a list type whose element type is beyond the table is rejected"),
  C(c_type_record_out_of_range, "a record type naming a record beyond the table is rejected"),
  /* enumerations */
  C(c_enum_without_members, "an enumeration without members is rejected"),
  C(c_enum_with_65_members, "64 enumeration members are accepted, 65 rejected"),
  C(c_enum_members_out_of_range, "enumeration members beyond the member table are rejected"),
  C(c_enum_open_flag, "an enumeration open flag other than 0 or 1 is rejected"),
  C(c_enum_name_out_of_range, "an enumeration name beyond the string table is rejected"),
  C(c_enum_member_name_out_of_range, "a member name beyond the string table is rejected"),
  C(c_enum_member_label_out_of_range, "a member label beyond the string table is rejected (none is fine)"),
  /* records and fields */
  C(c_record_fields_out_of_range, "record fields beyond the field table are rejected"),
  C(c_record_with_4097_fields, "4096 fields are accepted, 4097 rejected"),
  C(c_record_optional_count_wrong, "a record whose optional-field count is wrong is rejected"),
  C(c_record_with_64_optional_fields, "63 optional fields are accepted, 64 rejected"),
  C(c_record_name_out_of_range, "a record name beyond the string table is rejected"),
  C(c_field_name_out_of_range, "a field name beyond the string table is rejected"),
  C(c_field_type_out_of_range, "a field type beyond the type table is rejected"),
  C(c_field_unknown_flag, "an unknown field flag is rejected"),
  C(c_field_seven_decimals, "6 decimals are accepted, 7 rejected"),
  C(c_field_default_bool, "a boolean default other than 0 and 1 is rejected"),
  C(c_field_default_enum_past_end, "an enum default past the members is rejected"),
  C(c_field_default_enum_minus1_closed, "enum default -1 is rejected for a closed enumeration"),
  C(c_field_default_enum_minus1_open, "enum default -1 is accepted for an open enumeration, -2 not"),
  C(c_field_default_date, "a date default after 9999-12-31 is rejected"),
  C(c_field_default_text_not_a_string, "a text default that is no string index is rejected"),
  C(c_field_default_text_negative, "a negative text default is rejected"),
  C(c_field_default_on_list, "a default for a list field is rejected"),
  C(c_field_default_on_record, "a default for a record field is rejected"),
  C(c_field_minimum_on_text, "a minimum on a text field is rejected"),
  C(c_field_decimals_on_int, "a number of decimals on an int field is rejected"),
  C(c_field_key_not_text, "a key field that is not text is rejected"),
  C(c_field_evaluation_date_not_date, "an evaluation-date field that is not a date is rejected"),
  /* the input */
  C(c_input_record_out_of_range, "an input record beyond the record table is rejected"),
  C(c_input_record_without_type, "an input record without a type is rejected"),
  C(c_input_with_optional_field, "an input record with an optional field is rejected"),
  C(c_input_nested_optional_field, "an optional field reachable from the input is rejected"),
  /* locations */
  C(c_location_file_out_of_range, "a location file name beyond the string table is rejected"),
  C(c_instruction_location_out_of_range, "an instruction location beyond the location table is rejected"),
  /* rules */
  C(c_rule_name_out_of_range, "a rule name beyond the string table is rejected"),
  C(c_rule_kind, "an unknown rule kind is rejected"),
  C(c_rule_function_out_of_range, "a rule function beyond the function table is rejected"),
  C(c_rule_location_out_of_range, "a rule location beyond the location table is rejected"),
  C(c_rule_basis_out_of_range, "a legal basis beyond the string table is rejected"),
  C(c_rule_has_from_flag, "a has-from flag other than 0 or 1 is rejected"),
  C(c_rule_explanation_out_of_range, "a teacher's text (uitleg) beyond the string table is rejected"),
  C(c_rule_parameter_names_out_of_range, "parameter names beyond the string table are rejected"),
  C(c_rule_from_invalid_date, "an effective date before 0001-01-01 is rejected"),
  /* cached rules */
  C(c_global_function_out_of_range, "a cached rule's function beyond the table is rejected"),
  C(c_global_function_with_parameters, "a cached rule whose function has parameters is rejected"),
  /* outputs */
  C(c_view_none, "a program without an output is rejected"),
  C(c_view_default_out_of_range, "a default output beyond the output table is rejected"),
  C(c_view_name_out_of_range, "an output name beyond the string table is rejected"),
  C(c_view_record_out_of_range, "an output record beyond the record table is rejected"),
  C(c_view_function_out_of_range, "an output function beyond the function table is rejected"),
  C(c_view_returns_another_record, "an output whose function returns another record type is rejected"),
  C(c_view_returns_int, "an output whose function returns an int is rejected"),
  C(c_view_function_with_parameters, "an output whose function has parameters is rejected"),
  /* requirements */
  C(c_check_function_out_of_range, "a requirement function beyond the table is rejected"),
  C(c_check_returns_int, "a requirement whose function returns an int is rejected"),
  C(c_check_with_parameters, "a requirement whose function has parameters is rejected"),
  C(c_check_message_out_of_range, "a requirement message beyond the string table is rejected"),
  /* condition sites */
  C(c_cond_function_out_of_range, "a condition in a function beyond the table is rejected"),
  C(c_cond_pc_out_of_range, "a condition at an instruction past its function is rejected"),
  C(c_cond_rule_out_of_range, "a condition naming a rule beyond the table is rejected"),
  C(c_cond_comparison_kind, "an unknown comparison kind is rejected"),
  C(c_cond_comparison_high_bits, "the negated flag is accepted; an unknown flag bit is rejected"),
  C(c_cond_label_out_of_range, "a condition label beyond the string table is rejected"),
  C(c_cond_operand_out_of_range, "a condition operand register beyond the frame is rejected"),
  C(c_cond_operand_types_differ, "condition operands of different types are rejected"),
  C(c_cond_text_flag_on_ints, "the text flag on int operands is rejected"),
  C(c_cond_text_operands_need_flag, "text operands without the text flag are rejected"),
  C(c_cond_list_operands, "list operands of a comparison site are rejected"),
  C(c_cond_none_ignores_operands, "a boolean site's operands are not used; a comparison's are checked"),
  /* strings */
  C(c_string_not_utf8, "a string that is not UTF-8 is rejected"),
  C(c_string_overlong_utf8, "an overlong UTF-8 form is rejected"),
  C(c_string_with_nul, "a string with a NUL byte is rejected"),
  C(c_criteria_name_out_of_range, "a criteria name beyond the string table is rejected"),
  C(c_criteria_version_out_of_range, "a criteria version beyond the string table is rejected"),
};

START_TEST(verifier_case)
{
  /* proves: what cases[_i].proves says (one line per case, in the table above) */
  const Case *c = &cases[_i];
  /* the broken twin is rejected by the verifier */
  TB *t = tb_new();
  c->build(t, true);
  GBytes *bytes = tb_bytes(t);
  char *what = g_strdup_printf("%s (%s)", c->name, c->proves);
  assert_rejected(bytes, REG_LOAD_ERROR_VERIFY, what);
  g_bytes_unref(bytes);
  tb_free(t);
  /* the valid twin loads and runs, with and without explanations */
  t = tb_new();
  c->build(t, false);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  ck_assert_msg(p != NULL, "%s: the valid program is rejected: %s", what, err ? err->message : "?");
  assert_runs(p, what);
  reg_program_unref(p);
  tb_free(t);
  g_free(what);
}
END_TEST

/* ======================================================================== */
/* Running hand-built programs                                               */
/* ======================================================================== */

START_TEST(minimal_program_runs)
{
  /* proves: the minimal hand-built program loads and decides: Out{y: sum of In.li} */
  TB *t = tb_new();
  uint64_t c[10];
  loop_code(t, c);
  uint32_t f = loop_fn(t, c, NULL);
  tb_view_calling(t, f);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  ck_assert_msg(p != NULL, "%s", err ? err->message : "");
  char *out = decide(p, portfolio, FALSE, &err);
  ck_assert_msg(out != NULL, "%s", err ? err->message : "");
  ck_assert_str_eq(out, "{\"y\":6}");
  g_free(out);
  /* a data error in the portfolio: n is required */
  out = decide(p, "{\"as_of\":\"2024-01-01\"}", FALSE, &err);
  ck_assert_ptr_null(out);
  ck_assert_int_eq(err->code, REG_EVAL_ERROR_DATA);
  g_clear_error(&err);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

/* @p decides the base portfolio as {"y":@y,...}, traced (with explanations) and untraced. */
static void
assert_decides_y(RegProgram *p, int64_t y, const char *what)
{
  char prefix[32];
  g_snprintf(prefix, sizeof prefix, "{\"y\":%" G_GINT64_FORMAT, y);
  for (int explain = 0; explain <= 1; explain++) {
    GError *err = NULL;
    char *out = decide(p, portfolio, explain, &err);
    ck_assert_msg(out != NULL, "%s: %s", what, err ? err->message : "");
    ck_assert_msg(g_str_has_prefix(out, prefix) && strchr(",}", out[strlen(prefix)]), "%s: %s",
                  what, out);
    g_free(out);
  }
}

START_TEST(every_opcode_runs)
{
  /* proves: a valid program using every family of opcodes computes what it should (506) */
  TB *t = tb_new();
  uint32_t f0 = FN(1, T_INT, RT(T_INT, T_INT), CODE(I(ADD, 1, 0, 0), I(RET, 1, 0, 0)));
  uint32_t f1 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(10), 0), I(RET, 0, 0, 0)));
  uint32_t g0 = tb_global(t, f1);
  uint32_t groen = K(2), abc = S("abc");
  uint32_t f2 = INTFN(
    RT(T_IN, T_INT, T_INT, T_INT, T_LT, T_INT, T_TEXT, T_INT, T_E, T_BOOL,  /* r0..r9 */
       T_DATE, T_DATE, T_DUR, T_INT, T_INT, T_DEC, T_DEC, T_DEC, T_INT, T_BOOL, /* r10..r19 */
       T_TEXT, T_LI, T_INT, T_LI, T_LE, T_INT, T_INT),                         /* r20..r26 */
    CODE(I(LOADINPUT, 0, 0, 0), I(GETF, 1, 0, F_N), I(CALL, 2, f0, 1), /* 0: y = 2n = 10 */
         I(GLOBAL, 3, g0, 0), I(ADD, 2, 2, 3),                          /* 3: 20 */
         I(GETF, 4, 0, F_LT), I(LEN, 5, 4, 0), I(ADD, 2, 2, 5),          /* 5: 22 */
         I(GETF, 6, 0, F_T), I(BUILTIN, 7, REG_BI_TEXTLEN, 6), I(ADD, 2, 2, 7), /* 8: 25 */
         I(GETF, 8, 0, F_E), I(INSET, 9, 8, groen), I(JF, 9, 16, 0),     /* 11: e is groen */
         I(LOADK, 7, K(100), 0), I(ADD, 2, 2, 7),                        /* 14: 125 */
         I(LOADDATE, 10, 0, 0), I(LOADK, 13, K(1), 0), I(DUR, 12, 13, 2), /* 16: 1 month */
         I(LOADK, 13, K(5), 0), I(DURMUL, 12, 12, 13), I(DSUB, 11, 10, 12), /* 19: 2023-08-01 */
         I(DDIFF, 14, 10, 11), I(ADD, 2, 2, 14),                         /* 22: +153 = 278 */
         I(GETF, 15, 0, F_D), I(LOADK, 16, K(500000), 0), I(MULD, 17, 15, 16), /* 24: 0.625 */
         I(LOADK, 18, K(2), 0), I(BUILTIN, 16, REG_BI_ROUND, 17),         /* 27: 0.62 */
         I(LOADK, 17, K(620000), 0), I(EQ, 19, 16, 17), I(JF, 19, 33, 0),
         I(ADD, 2, 2, 5),                                                /* 32: 280 */
         I(LOADS, 20, abc, 0), I(JTNE, 20, 6, 36), I(ADD, 2, 2, 5),   /* 33: 282 */
         I(LNEW, 21, 5, 0), I(LPUSH, 21, 1, 0), I(LPUSH, 21, 7, 0),       /* 36: [5, 100] */
         I(LCAT, 23, 21, 21), I(VIN, 19, 1, 23), I(JF, 19, 43, 0),        /* 39 */
         I(ADD, 2, 2, 5),                                                /* 42: 284 */
         I(LOOP, 25, 23, 46), I(ADD, 2, 2, 25), I(NEXT, 25, 23, 44),      /* 43: +210 = 494 */
         I(ENUMLIST, 24, 0, 0), I(LEN, 22, 24, 0), I(ADD, 2, 2, 22),      /* 46: 497 */
         I(TIN, 19, 6, 4), I(JT, 19, 52, 0), I(ADD, 2, 2, 22),            /* 49: 500 */
         I(NEG, 22, 22, 0), I(MAX, 22, 22, 5), I(MIN, 22, 22, 13),        /* 52: 2 */
         I(SUB, 2, 2, 22), I(I2D, 15, 22, 0), I(DIVD, 16, 15, 15),        /* 55: 498 */
         I(BUILTIN, 16, REG_BI_ABS, 16), I(MULI, 22, 22, 22), I(ADD, 2, 2, 22), /* 58: 502 */
         I(NOT, 19, 19, 0), I(JF, 19, 64, 0), I(ADD, 2, 2, 22),           /* 61: 506 */
         I(DADD, 11, 11, 12), I(JEQ, 11, 10, 67), I(LOADK, 2, K(0), 0),   /* 64 */
         I(DURADD, 12, 12, 12), I(MOVE, 3, 2, 0), I(RET, 3, 0, 0)));      /* 67 */
  tb_view_calling(t, f2);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  ck_assert_msg(p != NULL, "%s", err ? err->message : "");
  assert_decides_y(p, 506, "every opcode");
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

/* No file may hold a run form (opcodes the loader writes after verification): each is
 * rejected as an unknown opcode. */
START_TEST(run_forms_never_from_a_file)
{
  for (unsigned op = REG_OP__COUNT; op < REG_OP__RUN_END; op++) {
    TB *t = tb_new();
    INTFN(RT(T_INT), CODE((uint64_t) op, I(LOADK, 0, K(1), 0), I(RET, 0, 0, 0)));
    GBytes *b = tb_bytes(t);
    char what[32];
    g_snprintf(what, sizeof what, "run form %u", op);
    assert_rejected(b, REG_LOAD_ERROR_VERIFY, what);
    g_bytes_unref(b);
    tb_free(t);
  }
}
END_TEST

/* Text equality (TEQ, JTEQ, TIN, ...) compares texts of up to 16 bytes without a call, by
 * overlapping loads (vm.c bytes_eq): every length from 0 to 20, equal and differing at each
 * position (and in length), traced and untraced, as TEQ, JTEQ and TIN. */
START_TEST(text_equality_every_length)
{
  const char alphabet[] = "abcdefghijklmnopqrstu";
  for (int n = 0; n <= 20; n++) {
    for (int d = -2; d < n; d++) { /* -2: one byte longer, -1: equal, else differs at d */
      char a[32], b[32];
      memcpy(a, alphabet, (size_t) n);
      a[n] = 0;
      memcpy(b, a, (size_t) n + 1);
      if (d == -2) {
        b[n] = 'x';
        b[n + 1] = 0;
      } else if (d >= 0) {
        b[d] = 'X';
      }
      TB *t = tb_new();
      uint32_t sa = S(a), sb = S(b);
      /* y = 100 * (a = b) + 10 * (JTEQ jumps) + (a in [b]) */
      uint32_t f = INTFN(RT(T_TEXT, T_TEXT, T_INT, T_BOOL, T_INT, T_LT, T_INT),
                         CODE(I(LOADS, 0, sa, 0), I(LOADS, 1, sb, 0), I(LOADK, 2, K(0), 0),
                              I(LOADK, 6, K(1), 0), I(TEQ, 3, 0, 1), I(JF, 3, 7, 0),
                              I(LOADK, 2, K(100), 0), I(JTEQ, 0, 1, 10), I(LOADK, 4, K(0), 0),
                              I(JMP, 11, 0, 0), I(LOADK, 4, K(10), 0), I(ADD, 2, 2, 4),
                              I(LNEW, 5, 6, 0), I(LPUSH, 5, 1, 0), I(TIN, 3, 0, 5),
                              I(JF, 3, 17, 0), I(ADD, 2, 2, 6), I(RET, 2, 0, 0)));
      tb_view_calling(t, f);
      GError *err = NULL;
      RegProgram *p = tb_load(t, &err);
      ck_assert_msg(p != NULL, "%s", err ? err->message : "");
      char what[80];
      g_snprintf(what, sizeof what, "\"%s\" vs \"%s\"", a, b);
      assert_decides_y(p, d == -1 ? 111 : 0, what);
      reg_program_unref(p);
      tb_free(t);
    }
  }
}
END_TEST

/* Untraced runs execute a copy of the code with run forms (opcodes-private.h): pairs of a
 * field load, cached rule or compare-and-jump and the instruction after it, loops that ask
 * the cache ahead. Each must do what its base instructions do, jump taken or not; the copy
 * must hold every run form (so that this test runs them), and traced runs execute the code
 * as verified. */
START_TEST(run_forms_do_what_their_base_does)
{
  TB *t = tb_new();
  uint32_t f1 = INTFN(RT(T_INT), CODE(I(LOADK, 0, K(10), 0), I(RET, 0, 0, 0)));
  uint32_t g0 = tb_global(t, f1);
  uint32_t groen = K(2), abc = S("abc");
  /* pairs of a field load or cached rule, each second instruction jumping or not: r2 = 37 */
  const uint64_t pairs[] = {
    I(LOADINPUT, 0, 0, 0), I(LOADK, 2, K(0), 0), I(LOADK, 3, K(1), 0), I(LOADK, 4, K(5), 0),
    I(LOADS, 12, abc, 0), I(GETF, 14, 0, F_SUBS),
    /* 6: GLOBAL,GETF first use: +10 */
    I(GLOBAL, 8, g0, 0), I(GETF, 1, 0, F_N), I(MOVE, 4, 1, 0), I(ADD, 2, 2, 8),
    I(GETF, 1, 0, F_N), I(JEQ, 1, 4, 13), I(ADD, 2, 2, 3),  /* 10: GETF,JEQ taken */
    I(GETF, 1, 0, F_N), I(JNE, 1, 4, 16), I(ADD, 2, 2, 3),  /* 13: GETF,JNE not: +1 */
    I(GETF, 1, 0, F_N), I(JLT, 1, 8, 19), I(ADD, 2, 2, 3),  /* 16: GETF,JLT taken */
    I(GETF, 1, 0, F_N), I(JLE, 8, 1, 22), I(ADD, 2, 2, 3),  /* 19: GETF,JLE not: +1 */
    I(GETF, 5, 0, F_T), I(JTEQ, 5, 12, 25), I(ADD, 2, 2, 3),  /* 22: GETF,JTEQ taken */
    I(GETF, 5, 0, F_T), I(JTNE, 5, 12, 28), I(ADD, 2, 2, 3),  /* 25: GETF,JTNE not: +1 */
    I(GETF, 6, 0, F_LT), I(JEMPTY, 6, 0, 31), I(ADD, 2, 2, 3),  /* 28: GETF,JEMPTY not: +1 */
    I(GETF, 6, 0, F_LT), I(JNEMPTY, 6, 0, 34), I(ADD, 2, 2, 3),  /* 31: GETF,JNEMPTY taken */
    I(GETF, 6, 0, F_LT), I(JTIN, 12, 6, 37), I(ADD, 2, 2, 3),  /* 34: GETF,JTIN not: +1 */
    I(GETF, 6, 0, F_LT), I(JNTIN, 12, 6, 40), I(ADD, 2, 2, 3),  /* 37: GETF,JNTIN taken */
    I(GETF, 7, 0, F_E), I(JINSET, 7, groen, 43), I(ADD, 2, 2, 3),  /* 40: GETF,JINSET taken */
    /* 43: GETF,JNINSET not: +1 */
    I(GETF, 7, 0, F_E), I(JNINSET, 7, groen, 46), I(ADD, 2, 2, 3),
    /* 46: GETF,GETF: +4 */
    I(GETF, 11, 0, F_SUB), I(GETF, 1, 11, FLD_SUB_K), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9),
    /* 50: GETF,GLOBAL: +5 */
    I(GETF, 1, 0, F_N), I(GLOBAL, 8, g0, 0), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9),
    /* 54: GETF,LOADK: +5 */
    I(GETF, 1, 0, F_N), I(LOADK, 4, K(5), 0), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9),
    I(GETF, 1, 0, F_N), I(ADD, 2, 2, 1),  /* 58: GETF,ADD: +5 */
    I(GLOBAL, 8, g0, 0), I(JEQ, 8, 4, 63), I(ADD, 2, 2, 3),  /* 60: GLOBAL,JEQ not: +1 */
    I(GLOBAL, 8, g0, 0), I(JNE, 8, 4, 66), I(ADD, 2, 2, 3),  /* 63: GLOBAL,JNE taken */
    I(GLOBAL, 8, g0, 0), I(JLT, 4, 8, 69), I(ADD, 2, 2, 3),  /* 66: GLOBAL,JLT taken */
    I(GLOBAL, 8, g0, 0), I(JLE, 8, 4, 72), I(ADD, 2, 2, 3),  /* 69: GLOBAL,JLE not: +1 */
  };
  GArray *code = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  g_array_append_vals(code, pairs, G_N_ELEMENTS(pairs));
  int64_t want = 37;
  /* jump pairs: every compare-and-jump (not jumping; JTF jumps past the second) followed by
   * every second it pairs with; a target of 0 below is the end of the block */
  const struct {
    uint64_t w;
    bool jumps;
  } firsts[] = { { I(JFF, 0, F_B, 0), false }, { I(JTF, 0, F_B, 0), true },
                 { I(JEQ, 4, 8, 0), false },   { I(JNE, 4, 4, 0), false },
                 { I(JLT, 8, 4, 0), false },   { I(JLE, 8, 4, 0), false } };
  const struct {
    uint64_t w[5];
    uint32_t n;
    int64_t gain; /* to r2 */
  } seconds[] = {
    { { I(GETF, 1, 0, F_N), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9) }, 3, 5 },
    { { I(GETF, 11, 0, F_SUB), I(GETF, 1, 11, FLD_SUB_K), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9) },
      4,
      4 },
    { { I(GETF, 1, 0, F_N), I(JEQ, 1, 8, 0), I(ADD, 2, 2, 3) }, 3, 1 },
    { { I(GETF, 1, 0, F_N), I(JNE, 1, 4, 0), I(ADD, 2, 2, 3) }, 3, 1 },
    { { I(GETF, 1, 0, F_N), I(JLT, 1, 8, 0), I(ADD, 2, 2, 3) }, 3, 0 },
    { { I(GETF, 1, 0, F_N), I(JLE, 8, 1, 0), I(ADD, 2, 2, 3) }, 3, 1 },
    { { I(GETF, 1, 0, F_N), I(GLOBAL, 8, g0, 0), I(MOVE, 9, 1, 0), I(ADD, 2, 2, 9) }, 4, 5 },
    { { I(JFF, 0, F_B, 0), I(ADD, 2, 2, 3) }, 2, 1 },
    /* the quad GETF,JEQ,GETF,JEQ (n = 5): neither jumps (+1); the first (past +5); the
     * second (past +10) */
    { { I(GETF, 1, 0, F_N), I(JEQ, 1, 8, 0), I(GETF, 1, 0, F_N), I(JEQ, 1, 8, 0), I(ADD, 2, 2, 3) },
      5,
      1 },
    { { I(GETF, 1, 0, F_N), I(JEQ, 1, 4, 0), I(GETF, 1, 0, F_N), I(JEQ, 1, 8, 0), I(ADD, 2, 2, 4) },
      5,
      0 },
    { { I(GETF, 1, 0, F_N), I(JEQ, 1, 8, 0), I(GETF, 1, 0, F_N), I(JEQ, 1, 4, 0), I(ADD, 2, 2, 8) },
      5,
      0 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(firsts); i++) {
    for (size_t k = 0; k < G_N_ELEMENTS(seconds); k++) {
      uint64_t end = code->len + 1 + seconds[k].n;
      uint64_t w = firsts[i].w | end << 48;
      g_array_append_val(code, w);
      for (uint32_t j = 0; j < seconds[k].n; j++) {
        unsigned op = REG_INSN_OP(seconds[k].w[j]);
        w = seconds[k].w[j] | (REG_OP_IS_CJUMP(op) ? end << 48 : 0);
        g_array_append_val(code, w);
      }
      want += firsts[i].jumps ? 0 : seconds[k].gain;
    }
  }
  /* the triple GETF,JLT,JLE (n = 5): the JLE jumps (past +5); neither jumps (+1); the JLT
   * jumps (past +10) */
  uint64_t at = code->len;
  const uint64_t triples[] = {
    I(GETF, 1, 0, F_N), I(JLT, 1, 4, at + 4), I(JLE, 1, 8, at + 4), I(ADD, 2, 2, 4),
    I(GETF, 1, 0, F_N), I(JLT, 1, 4, at + 8), I(JLE, 8, 1, at + 8), I(ADD, 2, 2, 3),
    I(GETF, 1, 0, F_N), I(JLT, 1, 8, at + 12), I(JLE, 8, 1, at + 12), I(ADD, 2, 2, 8),
  };
  g_array_append_vals(code, triples, G_N_ELEMENTS(triples));
  want += 1;
  /* loop edges over subs (k = 1, 2): a body starting with the triple whose jumps both go to
   * its NEXT (the k of 1 < k fails, 5 <= k fails: +1; and k < 1, k <= 1: +2), one whose JLE
   * goes elsewhere (+1), one starting GETF,GLOBAL (+3) */
  at = code->len;
  const uint64_t loops[] = {
    I(LOOP, 15, 14, at + 6), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 3, 1, at + 5), I(JLE, 4, 1, at + 5),
    I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 1),
    I(LOOP, 15, 14, at + 12), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 1, 3, at + 11),
    I(JLE, 1, 3, at + 11), I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 7),
    I(LOOP, 15, 14, at + 19), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 3, 1, at + 18),
    I(JLE, 1, 4, at + 17), I(ADD, 2, 2, 8), I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 13),
    I(LOOP, 15, 14, at + 24), I(GETF, 1, 15, FLD_SUB_K), I(GLOBAL, 8, g0, 0), I(ADD, 2, 2, 1),
    I(NEXT, 15, 14, at + 20),
  };
  g_array_append_vals(code, loops, G_N_ELEMENTS(loops));
  want += 7;
  /* loop edges with a third JLT to the NEXT (GETF_JLT_JLE_JLT_NEXT), over k = 1, 2, each of
   * the three comparisons dropping an element once: k of 1 < k drops 2 (+1); of k < 1,
   * 5 <= k, 1 < k ... as the first (+1); of k <= 1 as the second (+2) */
  at = code->len;
  const uint64_t windows[] = {
    I(LOOP, 15, 14, at + 7), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 1, 3, at + 6),
    I(JLE, 4, 1, at + 6), I(JLT, 3, 1, at + 6), I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 1),
    I(LOOP, 15, 14, at + 14), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 3, 1, at + 13),
    I(JLE, 4, 1, at + 13), I(JLT, 1, 3, at + 13), I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 8),
    I(LOOP, 15, 14, at + 21), I(GETF, 1, 15, FLD_SUB_K), I(JLT, 1, 3, at + 20),
    I(JLE, 1, 3, at + 20), I(JLT, 4, 1, at + 20), I(ADD, 2, 2, 1), I(NEXT, 15, 14, at + 15),
  };
  g_array_append_vals(code, windows, G_N_ELEMENTS(windows));
  want += 4;
  /* a loop over records (LOOPP, NEXTP): + the k of subs, 3 */
  uint64_t end = code->len + 4;
  const uint64_t tail[] = { I(LOOP, 15, 14, end), I(GETF, 1, 15, FLD_SUB_K), I(ADD, 2, 2, 1),
                            I(NEXT, 15, 14, end - 3), I(RET, 2, 0, 0) };
  g_array_append_vals(code, tail, G_N_ELEMENTS(tail));
  want += 3;
  const uint32_t rt[] = { T_IN, T_INT, T_INT, T_INT, T_INT, T_TEXT, T_LT, T_E, T_INT, T_INT,
                          T_BOOL, T_SUB, T_TEXT, T_INT, T_LSUB, T_SUB, T_INT };
  uint32_t f2 = tb_fn(t, 0, T_INT, rt, G_N_ELEMENTS(rt), (const uint64_t *) code->data, code->len);
  g_array_unref(code);
  tb_view_calling(t, f2);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  ck_assert_msg(p != NULL, "%s", err ? err->message : "");
  const RegFunction *f = &p->funcs[f2];
  bool seen[REG_OP__RUN_END] = { false };
  for (uint32_t pc = 0; pc < f->ninsns; pc++) {
    ck_assert_uint_lt(REG_INSN_OP(p->code[f->first_insn + pc]), REG_OP__COUNT);
    seen[REG_INSN_OP(p->run_code[f->first_insn + pc])] = true;
  }
  ck_assert(seen[REG_OP_LOOPP] && seen[REG_OP_NEXTP]);
  ck_assert(seen[REG_OP_LOADKS] == REG_VM_THREADED);
#define RUN_PAIR_SEEN(x, y) ck_assert_msg(seen[REG_OP_##x##_##y] == REG_VM_THREADED, #x "_" #y);
  REG_RUN_PAIRS(RUN_PAIR_SEEN)
  REG_RUN_JUMP_PAIRS(RUN_PAIR_SEEN)
#undef RUN_PAIR_SEEN
#define RUN_TRIPLE_SEEN(x, y, z)                                                           \
  ck_assert_msg(seen[REG_OP_##x##_##y##_##z] == REG_VM_THREADED, #x "_" #y "_" #z);
  REG_RUN_TRIPLES(RUN_TRIPLE_SEEN)
#undef RUN_TRIPLE_SEEN
#define RUN_QUAD_SEEN(x, y, z, u)                                                          \
  ck_assert_msg(seen[REG_OP_##x##_##y##_##z##_##u] == REG_VM_THREADED, #x "_" #y "_" #z "_" #u);
  REG_RUN_QUADS(RUN_QUAD_SEEN)
#undef RUN_QUAD_SEEN
#define RUN_NEXT_SEEN(y) ck_assert_msg(seen[REG_OP_NEXTP_##y] == REG_VM_THREADED, "NEXTP_" #y);
  REG_RUN_NEXTS(RUN_NEXT_SEEN)
#undef RUN_NEXT_SEEN
  ck_assert(seen[REG_OP_GETF_JLT_JLE_NEXT] == REG_VM_THREADED);
  ck_assert(seen[REG_OP_GETF_JLT_JLE_JLT_NEXT] == REG_VM_THREADED);
  assert_decides_y(p, want, "run forms");
  ck_assert_int_eq(want, 147);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

/* ======================================================================== */
/* File-level damage: REG_LOAD_ERROR_FORMAT                                  */
/* ======================================================================== */

static GBytes *
minimal_bytes(void)
{
  TB *t = tb_new();
  GBytes *b = tb_bytes(t);
  tb_free(t);
  return b;
}

static GBytes *
compiled_rules(void)
{
  const char *src = g_getenv("SRCDIR");
  char *dir = g_build_filename(src ? src : ".", "rules", NULL);
  RegCompiler *c = reg_compiler_new();
  GError *err = NULL;
  ck_assert_msg(reg_compiler_add_path(c, dir, &err), "%s", err ? err->message : "");
  RegProgram *p = reg_compiler_compile(c, &err);
  ck_assert_msg(p != NULL, "the shipped criteria do not compile: %s", err ? err->message : "");
  GBytes *b = reg_program_get_bytes(p);
  reg_program_unref(p);
  reg_compiler_free(c);
  g_free(dir);
  return b;
}

/* A writable copy of @b. */
static GByteArray *
copy(GBytes *b)
{
  gsize n;
  const guint8 *d = g_bytes_get_data(b, &n);
  GByteArray *a = g_byte_array_sized_new((guint) n);
  g_byte_array_append(a, d, (guint) n);
  return a;
}

static uint32_t
rd32(const GByteArray *a, size_t off)
{
  const guint8 *p = a->data + off;
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static void
wr32(GByteArray *a, size_t off, uint32_t v)
{
  guint8 *p = a->data + off;
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
  p[2] = (guint8) (v >> 16);
  p[3] = (guint8) (v >> 24);
}

/* Offset of the directory entry of section @id (the writer puts them in id order). */
static size_t
dir_entry(const GByteArray *a, uint32_t id)
{
  uint32_t n = rd32(a, 12);
  for (uint32_t i = 0; i < n; i++)
    if (rd32(a, 16 + 12 * i) == id)
      return 16 + 12 * i;
  ck_abort_msg("no section %u", id);
  return 0;
}

static void
expect_format_error(GByteArray *a, const char *what)
{
  GBytes *b = g_bytes_new(a->data, a->len);
  assert_rejected(b, REG_LOAD_ERROR_FORMAT, what);
  g_bytes_unref(b);
}

/* An optional field's register need not be written; the presence mask is computed. A
 * function whose RECORD takes such a field starts with cleared registers, so a field said
 * present without a value is its type's zero, never what an earlier call left in that
 * register (here: an integer where a text pointer is read). */
START_TEST(optional_field_never_written)
{
  TB *t = tb_new();
  uint32_t fq = tb_field(t, "q", T_TEXT, REG_FIELD_OPTIONAL);
  uint32_t rq = tb_record(t, "Q", fq, 1, 1);
  uint32_t tq = reg_builder_type(t->b, REG_TK_RECORD, rq);
  /* f0 leaves 0x4141414141 in the registers the next call's frame gets */
  uint32_t f0 = FN(0, T_INT, RT(T_INT, T_INT, T_INT),
                   CODE(I(LOADK, 0, K(0x4141414141), 0), I(LOADK, 1, K(0x4141414141), 0),
                        I(LOADK, 2, K(0x4141414141), 0), I(RET, 0, 0, 0)));
  /* f1: Q{q: r0} with r0 never written and the mask saying q is present */
  uint32_t f1 = FN(0, tq, RT(T_TEXT, T_INT, tq),
                   CODE(I(LOADK, 1, K(1), 0), I(RECORD, 2, 0, 1), I(RET, 2, 0, 0)));
  uint32_t v = FN(0, tq, RT(T_INT, tq),
                  CODE(I(CALL, 0, f0, 0), I(CALL, 1, f1, 0), I(RET, 1, 0, 0)));
  RegView view = { reg_builder_string(t->b, "besluit"), rq, v };
  g_array_append_val(t->b->views, view);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  ck_assert_msg(p != NULL, "%s", err ? err->message : "?");
  ck_assert(p->clear_func[f1]);
  ck_assert(!p->clear_func[f0] && !p->clear_func[v]);
  assert_runs(p, "optional field never written");
  char *out = decide(p, portfolio, false, &err);
  ck_assert_msg(out != NULL, "%s", err ? err->message : "?");
  ck_assert_msg(strstr(out, "\"q\":null") != NULL, "%s", out);
  g_free(out);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(format_baseline)
{
  /* proves: the untouched minimal file and the compiled shipped criteria load */
  GBytes *b = minimal_bytes();
  RegProgram *p = load(b, NULL);
  ck_assert_ptr_nonnull(p);
  reg_program_unref(p);
  g_bytes_unref(b);
  b = compiled_rules();
  p = load(b, NULL);
  ck_assert_ptr_nonnull(p);
  reg_program_unref(p);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_bad_magic)
{
  /* proves: any change to the 8 magic bytes (also CR LF -> LF) is a format error */
  GBytes *b = minimal_bytes();
  for (int i = 0; i < REG_FILE_MAGIC_LEN; i++) {
    GByteArray *a = copy(b);
    a->data[i] ^= 0x20;
    char what[32];
    g_snprintf(what, sizeof what, "magic byte %d", i);
    expect_format_error(a, what);
    g_byte_array_unref(a);
  }
  GByteArray *a = copy(b);
  memmove(a->data + 6, a->data + 7, a->len - 7); /* "\r\n" -> "\n" */
  g_byte_array_set_size(a, a->len - 1);
  expect_format_error(a, "CR LF mangled to LF");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_too_short)
{
  /* proves: an empty file, the magic alone and anything under 16 bytes are format errors */
  GBytes *b = minimal_bytes();
  for (guint n = 0; n < 16; n++) {
    GByteArray *a = copy(b);
    g_byte_array_set_size(a, n);
    char what[32];
    g_snprintf(what, sizeof what, "%u bytes", n);
    expect_format_error(a, what);
    g_byte_array_unref(a);
  }
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_wrong_version)
{
  /* proves: format versions 0, 2 and 0xffffffff are refused */
  GBytes *b = minimal_bytes();
  const uint32_t versions[] = { 0, REG_FILE_VERSION + 1, 0xffffffff };
  for (size_t i = 0; i < G_N_ELEMENTS(versions); i++) {
    GByteArray *a = copy(b);
    wr32(a, 8, versions[i]);
    expect_format_error(a, "wrong version");
    g_byte_array_unref(a);
  }
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_truncated_everywhere)
{
  /* proves: a compiled file of the shipped criteria cut at every length is a format error */
  GBytes *b = compiled_rules();
  gsize n;
  const guint8 *d = g_bytes_get_data(b, &n);
  for (gsize len = 0; len < n; len++) {
    GBytes *cut = g_bytes_new_static(d, len);
    GError *err = NULL;
    RegProgram *p = load(cut, &err);
    ck_assert_msg(p == NULL, "cut at %zu of %zu bytes: accepted", len, n);
    ck_assert_msg(err->domain == REG_LOAD_ERROR && err->code == REG_LOAD_ERROR_FORMAT,
                  "cut at %zu: %s", len, err->message);
    g_error_free(err);
    g_bytes_unref(cut);
  }
  fprintf(stderr, "truncations checked: %zu\n", n);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_too_large)
{
  /* proves: a file over the 64 MiB limit is refused before anything is read */
  GByteArray *a = g_byte_array_sized_new(REG_FILE_MAX_SIZE + 1);
  g_byte_array_set_size(a, REG_FILE_MAX_SIZE + 1);
  memset(a->data, 0, a->len);
  memcpy(a->data, REG_FILE_MAGIC, REG_FILE_MAGIC_LEN);
  wr32(a, 8, REG_FILE_VERSION);
  expect_format_error(a, "64 MiB + 1");
  g_byte_array_unref(a);
}
END_TEST

START_TEST(format_directory)
{
  /* proves: a directory too long, past the end, or with unknown/duplicate/missing sections fails */
  GBytes *b = minimal_bytes();
  GByteArray *a;

  a = copy(b);
  wr32(a, 12, REG_FILE_MAX_SECTIONS + 1);
  expect_format_error(a, "33 sections");
  g_byte_array_unref(a);

  a = copy(b);
  g_byte_array_set_size(a, 16 + 12 * 5);
  expect_format_error(a, "directory past the end");
  g_byte_array_unref(a);

  a = copy(b);
  wr32(a, 12, 0xffffffff);
  expect_format_error(a, "directory count 0xffffffff");
  g_byte_array_unref(a);

  const uint32_t ids[] = { 0, REG_SEC__LAST + 1, 0xffffffff };
  for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
    a = copy(b);
    wr32(a, dir_entry(a, REG_SEC_CHECKS), ids[i]);
    expect_format_error(a, "unknown section id");
    g_byte_array_unref(a);
  }

  a = copy(b);
  wr32(a, dir_entry(a, REG_SEC_CHECKS), REG_SEC_TYPES);
  expect_format_error(a, "duplicate section");
  g_byte_array_unref(a);

  for (uint32_t id = 1; id <= REG_SEC__LAST; id++) {
    if (id == REG_SEC_PLAIN)
      continue; /* optional: below */
    /* drop section id: the last entry takes its place and the count shrinks */
    a = copy(b);
    uint32_t n = rd32(a, 12);
    size_t e = dir_entry(a, id), last = 16 + 12 * (n - 1);
    memmove(a->data + e, a->data + last, 12);
    wr32(a, 12, n - 1);
    char what[32];
    g_snprintf(what, sizeof what, "section %u missing", id);
    expect_format_error(a, what);
    g_byte_array_unref(a);
  }

  /* files written before the plain section load: every function runs its own body */
  a = copy(b);
  uint32_t n = rd32(a, 12);
  size_t e = dir_entry(a, REG_SEC_PLAIN), last = 16 + 12 * (n - 1);
  memmove(a->data + e, a->data + last, 12);
  wr32(a, 12, n - 1);
  GBytes *without = g_byte_array_free_to_bytes(a);
  GError *err = NULL;
  RegProgram *p = load(without, &err);
  ck_assert_msg(p != NULL, "without the plain section: %s", err ? err->message : "?");
  for (uint32_t i = 0; i < p->nfuncs; i++)
    ck_assert_uint_eq(p->plain_of[i], i);
  reg_program_unref(p);
  g_bytes_unref(without);

  /* with it, one entry per function */
  a = copy(b);
  wr32(a, dir_entry(a, REG_SEC_PLAIN) + 8, rd32(a, dir_entry(a, REG_SEC_PLAIN) + 8) + 4);
  expect_format_error(a, "plain section longer than the function table");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_section_bounds)
{
  /* proves: every section's offset and size are checked against the file, without overflow */
  GBytes *b = minimal_bytes();
  for (uint32_t id = 1; id <= REG_SEC__LAST; id++) {
    GByteArray *a = copy(b);
    size_t e = dir_entry(a, id);
    uint32_t off = rd32(a, e + 4), len = rd32(a, e + 8);
    char what[64];

    wr32(a, e + 4, a->len + 1);
    g_snprintf(what, sizeof what, "section %u offset past the end", id);
    expect_format_error(a, what);

    wr32(a, e + 4, off);
    wr32(a, e + 8, a->len - off + 8);
    g_snprintf(what, sizeof what, "section %u size past the end", id);
    expect_format_error(a, what);

    /* offset + size wraps around 2^32 */
    wr32(a, e + 4, 0xfffffff8);
    wr32(a, e + 8, 16);
    g_snprintf(what, sizeof what, "section %u offset + size wraps", id);
    expect_format_error(a, what);

    wr32(a, e + 4, off);
    wr32(a, e + 8, 0xffffffff);
    g_snprintf(what, sizeof what, "section %u size 0xffffffff", id);
    expect_format_error(a, what);
    (void) len;
    g_byte_array_unref(a);
  }
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_record_sizes)
{
  /* proves: a table section whose size is no multiple of its record size is refused */
  GBytes *b = minimal_bytes();
  for (uint32_t id = 1; id <= REG_SEC__LAST; id++) {
    if (id == REG_SEC_STRINGS)
      continue;
    GByteArray *a = copy(b);
    size_t e = dir_entry(a, id);
    uint32_t len = rd32(a, e + 8);
    if (len == 0) {
      /* an empty table: make it one byte long (the next bytes exist: the directory is first) */
      wr32(a, e + 4, 16);
      wr32(a, e + 8, 1);
    } else {
      wr32(a, e + 8, len - 1);
    }
    char what[64];
    g_snprintf(what, sizeof what, "section %u size not a multiple", id);
    expect_format_error(a, what);
    g_byte_array_unref(a);
  }
  /* the meta section holds exactly one record */
  GByteArray *a = copy(b);
  wr32(a, dir_entry(a, REG_SEC_META) + 8, 0);
  expect_format_error(a, "meta without a record");
  g_byte_array_unref(a);
  a = copy(b);
  size_t e = dir_entry(a, REG_SEC_META);
  wr32(a, e + 4, 16); /* two records' worth of bytes: the directory itself */
  wr32(a, e + 8, 32);
  expect_format_error(a, "meta with two records");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_string_table_lies)
{
  /* proves: a string table whose count or lengths disagree with its size is refused */
  GBytes *b = minimal_bytes();
  GByteArray *a = copy(b);
  size_t e = dir_entry(a, REG_SEC_STRINGS);
  uint32_t off = rd32(a, e + 4), size = rd32(a, e + 8), n = rd32(a, off);
  g_byte_array_unref(a);

  a = copy(b);
  wr32(a, e + 8, 3);
  expect_format_error(a, "string table of 3 bytes");
  g_byte_array_unref(a);

  a = copy(b);
  wr32(a, e + 8, 0);
  expect_format_error(a, "string table of 0 bytes");
  g_byte_array_unref(a);

  const uint32_t counts[] = { n + 1, size / 4, 0x40000000, 0x40000001, 0xffffffff };
  for (size_t i = 0; i < G_N_ELEMENTS(counts); i++) {
    a = copy(b);
    wr32(a, off, counts[i]);
    expect_format_error(a, "string count too large");
    g_byte_array_unref(a);
  }

  a = copy(b);
  wr32(a, off, n - 1); /* a length becomes stray bytes */
  expect_format_error(a, "string count one too small");
  g_byte_array_unref(a);

  a = copy(b);
  wr32(a, off + 4, rd32(a, off + 4) + 1); /* the first string runs into the next */
  expect_format_error(a, "string lengths exceed the bytes");
  g_byte_array_unref(a);

  a = copy(b);
  wr32(a, off + 4, 0xffffffff);
  expect_format_error(a, "string length 0xffffffff");
  g_byte_array_unref(a);

  a = copy(b);
  ck_assert_uint_gt(rd32(a, off + 4), 0);
  wr32(a, off + 4, rd32(a, off + 4) - 1); /* one stray byte at the end */
  expect_format_error(a, "string lengths short of the bytes");
  g_byte_array_unref(a);

  a = copy(b); /* the last string's length makes the sum wrap */
  wr32(a, off + 4 * n, 0xfffffff0);
  expect_format_error(a, "string lengths wrap");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

/* Loads @a: a load error, or a program that runs. */
static void
loads_safely(GByteArray *a, const char *what)
{
  GBytes *b = g_bytes_new(a->data, a->len);
  GError *err = NULL;
  RegProgram *p = load(b, &err);
  if (p) {
    assert_runs(p, what);
    reg_program_unref(p);
  } else {
    ck_assert_msg(err->domain == REG_LOAD_ERROR, "%s: %s", what, err->message);
    g_error_free(err);
  }
  g_bytes_unref(b);
}

START_TEST(format_overlapping_sections)
{
  /* proves: sections sharing bytes (the format does not forbid it) are verified like any
   * other: every pair of table sections pointed at the same bytes loads safely or fails */
  GBytes *b = compiled_rules();
  for (uint32_t x = 1; x <= REG_SEC__LAST; x++) {
    for (uint32_t y = 1; y <= REG_SEC__LAST; y++) {
      if (x == y)
        continue;
      GByteArray *a = copy(b);
      size_t ex = dir_entry(a, x), ey = dir_entry(a, y);
      wr32(a, ey + 4, rd32(a, ex + 4)); /* y's offset := x's: y reads x's bytes */
      uint32_t len = rd32(a, ey + 8), room = a->len - rd32(a, ex + 4);
      if (len > room)
        wr32(a, ey + 8, room);
      char what[64];
      g_snprintf(what, sizeof what, "section %u over section %u", y, x);
      loads_safely(a, what);
      g_byte_array_unref(a);
    }
  }
  /* bytes after the last section are not looked at */
  GByteArray *a = copy(b);
  g_byte_array_append(a, (const guint8 *) "trailing garbage", 16);
  loads_safely(a, "trailing bytes");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

START_TEST(format_line_table_count)
{
  /* proves: a line table without one entry per instruction is refused */
  GBytes *b = minimal_bytes();
  GByteArray *a = copy(b);
  size_t e = dir_entry(a, REG_SEC_INSN_LOCS);
  wr32(a, e + 8, rd32(a, e + 8) - 4);
  expect_format_error(a, "one line entry missing");
  g_byte_array_unref(a);
  g_bytes_unref(b);
}
END_TEST

/* ======================================================================== */
/* Bugs found: programs the verifier accepts that do not run safely.          */
/* ======================================================================== */

START_TEST(output_without_fields_is_json)
{
  /* proves: an output record without (present) fields still decides into valid JSON */
  TB *t = tb_new();
  uint32_t rec = tb_record(t, "Empty", t->b->fields->len, 0, 0);
  uint32_t ty = reg_builder_type(t->b, REG_TK_RECORD, rec);
  uint32_t f = FN(0, ty, RT(ty), CODE(I(RECORD, 0, 0, REG_NO_MASK), I(RET, 0, 0, 0)));
  RegView v = { S("leeg"), rec, f };
  g_array_append_val(t->b->views, v);
  RegProgram *p = tb_load(t, NULL);
  ck_assert_ptr_nonnull(p);
  RegEvaluator *ev = reg_evaluator_new(p);
  GString *out = g_string_new(NULL);
  ck_assert(reg_evaluator_decide_json(ev, portfolio, -1, out, NULL));
  ck_assert_msg(reg_json_validate(out->str, out->len, 100) == REG_JSON_OK,
                "the decision is not JSON: %s", out->str);
  g_string_free(out, TRUE);
  reg_evaluator_free(ev);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(shared_code_condition_sites)
{
  /* proves: functions sharing instructions, one with a condition site, explain safely */
  TB *t = tb_new();
  /* f0(a, b, c: text): bool = a == b, with a text comparison site on its registers 2 and 0 */
  uint32_t f0 = FN(3, T_BOOL, RT(T_TEXT, T_TEXT, T_TEXT, T_BOOL),
                   CODE(I(TEQ, 3, 0, 1), I(RET, 3, 0, 0)));
  RegRuleInfo r = { .name = S("gelijk"), .kind = REG_RULE_RULE, .func = f0, .loc = t->loc,
                    .basis = REG_NONE, .explain = REG_NONE, .params = S("a,b,c") };
  g_array_append_val(t->b->rules, r);
  FUNC(f0)->rule = 0;
  RegCond c = { .func = f0, .pc = 0, .label = S("a = b"), .rule = 0,
                .cmp = REG_CMP_EQ | REG_CMP_TEXT, .lhs = 2, .rhs = 0 };
  g_array_append_val(t->b->conds, c);
  /* f1(a, b: text, n: int): bool runs the very same instructions (its register 2 is an int) */
  uint32_t f1 = FN(3, T_BOOL, RT(T_TEXT, T_TEXT, T_INT, T_BOOL), CODE(I(NOP, 0, 0, 0)));
  FUNC(f1)->first_insn = FUNC(f0)->first_insn;
  FUNC(f1)->ninsns = FUNC(f0)->ninsns;
  uint32_t f2 = INTFN(RT(T_TEXT, T_TEXT, T_INT, T_BOOL, T_INT),
                      CODE(I(LOADS, 0, S("x"), 0), I(LOADS, 1, S("x"), 0),
                           I(LOADK, 2, K(0x123456789), 0), I(CALL, 3, f1, 0),
                           I(LOADK, 4, K(1), 0), I(RET, 4, 0, 0)));
  tb_view_calling(t, f2);
  GError *err = NULL;
  RegProgram *p = tb_load(t, &err);
  /* FIXED: the verifier now rejects instructions shared between functions (before, the
   * site read f1's int as a text under explanations) */
  ck_assert_ptr_null(p);
  ck_assert_msg(g_error_matches(err, REG_LOAD_ERROR, REG_LOAD_ERROR_VERIFY) &&
                  strstr(err->message, "code shared with another function"),
                "%s", err->message);
  g_error_free(err);
  tb_free(t);
}
END_TEST

START_TEST(input_as_output)
{
  /* proves: an output that is the input record itself (every kind of field) is written as JSON */
  TB *t = tb_new();
  uint32_t f = FN(0, T_IN, RT(T_IN), CODE(I(LOADINPUT, 0, 0, 0), I(RET, 0, 0, 0)));
  RegView v = { S("invoer"), R_IN, f };
  g_array_append_val(t->b->views, v);
  RegProgram *p = tb_load(t, NULL);
  ck_assert_ptr_nonnull(p);
  const char *inputs[] = { portfolio, "{\"as_of\":\"2024-01-01\",\"n\":-3}" };
  for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
    for (int explain = 0; explain <= 1; explain++) {
      GError *err = NULL;
      char *out = decide(p, inputs[i], explain, &err);
      ck_assert_msg(out != NULL, "%s", err ? err->message : "");
      ck_assert_msg(reg_json_validate(out, strlen(out), 100) == REG_JSON_OK, "%s", out);
      ck_assert_msg(i > 0 || strstr(out, "\"s\":null") != NULL, "an unknown open enum is null: %s",
                    out);
      g_free(out);
    }
  }
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(fused_jump_explained)
{
  /* proves: a taken fused jump lands on its target with explanations on, as without */
  TB *t = tb_new();
  /* r1 = 7; if r1 < r2 (7 < 8) jump to 4; r1 = 8 (skipped); 4: r1 = 9; return r1 */
  uint32_t f = INTFN(RT(T_BOOL, T_INT, T_INT),
                     CODE(I(LOADK, 1, K(7), 0), I(LOADK, 2, K(8), 0), I(JLT, 1, 2, 4),
                          I(LOADK, 1, K(8), 0), I(LOADK, 1, K(9), 0), I(RET, 1, 0, 0)));
  tb_view_calling(t, f);
  RegProgram *p = tb_load(t, NULL);
  ck_assert_ptr_nonnull(p);
  for (int explain = 0; explain <= 1; explain++) {
    GError *err = NULL;
    char *out = decide(p, portfolio, explain, &err);
    ck_assert_msg(out != NULL, "%s", err ? err->message : "");
    ck_assert_msg(g_str_has_prefix(out, "{\"y\":9"), "explain %d: %s", explain, out);
    g_free(out);
  }
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(teacher_gap_overflow)
{
  /* proves: the teacher's {tekort} of a comparison of extreme decimals does not overflow
   * (signed overflow, a negative gap: fixed in 7bb9c2b) */
  TB *t = tb_new();
  /* genoeg(x, y: decimal): bool = x >= y (as y <= x), uitleg "tekort {tekort}" */
  uint32_t f = FN(2, T_BOOL, RT(T_DEC, T_DEC, T_BOOL), CODE(I(LE, 2, 1, 0), I(RET, 2, 0, 0)));
  RegRuleInfo r = { .name = S("genoeg"), .kind = REG_RULE_RULE, .func = f, .loc = t->loc,
                    .basis = REG_NONE, .explain = S("tekort {tekort}"), .params = S("x,y") };
  g_array_append_val(t->b->rules, r);
  FUNC(f)->rule = 0;
  RegCond c = { .func = f, .pc = 0, .label = S("x >= y"), .rule = 0, .cmp = REG_CMP_GE,
                .lhs = 0, .rhs = 1 };
  g_array_append_val(t->b->conds, c);
  /* the output: Out{y: genoeg(-d, d) ? 1 : 0} for the input's d */
  uint32_t g = INTFN(RT(T_IN, T_DEC, T_DEC, T_BOOL, T_INT),
                     CODE(I(LOADINPUT, 0, 0, 0), I(GETF, 2, 0, F_D), I(NEG, 1, 2, 0),
                          I(CALL, 3, f, 1), I(LOADK, 4, K(0), 0), I(JF, 3, 7, 0),
                          I(LOADK, 4, K(1), 0), I(RET, 4, 0, 0)));
  tb_view_calling(t, g);
  RegProgram *p = tb_load(t, NULL);
  ck_assert_ptr_nonnull(p);
  RegEvaluator *ev = reg_evaluator_new(p);
  reg_evaluator_set_audit_fields(ev, FALSE);
  reg_evaluator_set_explain_style(ev, REG_EXPLAIN_TEXTS);
  GString *out = g_string_new(NULL);
  GError *err = NULL;
  const char *json = "{\"as_of\":\"2024-01-01\",\"n\":1,\"d\":9000000000000}";
  ck_assert_msg(reg_evaluator_decide_json(ev, json, -1, out, &err), "%s",
                err ? err->message : "");
  ck_assert_msg(reg_json_validate(out->str, out->len, 100) == REG_JSON_OK, "%s", out->str);
  ck_assert_msg(strstr(out->str, "tekort") != NULL, "no teacher's text: %s", out->str);
  ck_assert_msg(strstr(out->str, "tekort -") == NULL, "a negative gap: %s", out->str);
  g_string_free(out, TRUE);
  reg_evaluator_free(ev);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(long_escaped_key)
{
  /* proves: a 129-byte field name and an escaped JSON key of over 128 bytes compare in bounds */
  TB *t = tb_new();
  char name[130];
  memset(name, 'k', 129);
  name[129] = '\0';
  FIELD(FLD_IN + F_B)->name = S(name);
  RegProgram *p = tb_load(t, NULL);
  ck_assert_ptr_nonnull(p);
  /* an escaped key short enough to be unescaped (123 k's, unknown), then one too long to be */
  GString *json = g_string_new("{\"as_of\":\"2024-01-01\",\"n\":1,\"\\u006b");
  for (int i = 0; i < 122; i++)
    g_string_append_c(json, 'k');
  g_string_append(json, "\":1,\"");
  for (int i = 0; i < 130; i++)
    g_string_append(json, "\\u006b");
  g_string_append(json, "\":true}");
  GError *err = NULL;
  char *out = decide(p, json->str, FALSE, &err);
  g_free(out);
  g_clear_error(&err);
  g_string_free(json, TRUE);
  reg_program_unref(p);
  tb_free(t);
}
END_TEST

START_TEST(long_type_chain)
{
  /* proves: a very long chain of list types is rejected without exhausting the stack */
  TB *t = tb_new();
  /* type i is a list of type i + 1, the last a list of int: the walk starts at the top */
  uint32_t n = 1000000, first = t->b->types->len;
  for (uint32_t i = 0; i < n; i++) {
    RegType l = { REG_TK_LIST, i + 1 < n ? first + i + 1 : T_INT };
    g_array_append_val(t->b->types, l);
  }
  GBytes *b = tb_bytes(t);
  assert_rejected(b, REG_LOAD_ERROR_VERIFY, "a chain of a million list types");
  g_bytes_unref(b);
  tb_free(t);
}
END_TEST

START_TEST(verifier_memory_bounded)
{
  /* proves: verifying a 1 MB program takes memory in proportion (here: under 64 MiB more) */
  TB *t = tb_new();
  /* 65535 registers and 65535 instructions: 32766 conditional jumps, each to its own
   * target in the second half, so that every target holds a register state (8 KiB) */
  uint32_t n = 65535;
  uint32_t *rt = g_new(uint32_t, n);
  uint64_t *code = g_new(uint64_t, n);
  for (uint32_t i = 0; i < n; i++)
    rt[i] = T_BOOL;
  rt[1] = T_INT;
  code[0] = I(LOADK, 0, K(1), 0);
  code[1] = I(LOADK, 1, K(1), 0);
  for (uint32_t i = 2; i < n - 1; i++)
    code[i] = i < n / 2 ? I(JF, 0, n / 2 + i - 1, 0) : I(NOP, 0, 0, 0);
  code[n - 1] = I(RET, 1, 0, 0);
  tb_fn(t, 0, T_INT, rt, n, code, n);
  g_free(rt);
  g_free(code);
  tb_view_calling(t, REG_NONE);
  GBytes *b = tb_bytes(t);
  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  GError *err = NULL;
  RegProgram *p = load(b, &err);
  getrusage(RUSAGE_SELF, &after);
  /* FIXED: the register sets of jump targets ahead are bounded (16 MiB); this program
   * needs 256 MiB of them and is rejected */
  ck_assert_ptr_null(p);
  ck_assert_msg(g_error_matches(err, REG_LOAD_ERROR, REG_LOAD_ERROR_VERIFY) &&
                  strstr(err->message, "too many jump targets ahead"),
                "%s", err->message);
  g_error_free(err);
  long grew = (after.ru_maxrss - before.ru_maxrss) / 1024;
  ck_assert_msg(grew < 64, "loading a %zu-byte program took %ld MiB more memory",
                g_bytes_get_size(b), grew);
  g_bytes_unref(b);
  tb_free(t);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("verifier");
  TCase *tc = tcase_create("verifier");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, minimal_program_runs);
  tcase_add_test(tc, every_opcode_runs);
  tcase_add_test(tc, run_forms_do_what_their_base_does);
  tcase_add_test(tc, text_equality_every_length);
  tcase_add_test(tc, run_forms_never_from_a_file);
  tcase_add_loop_test(tc, verifier_case, 0, (int) G_N_ELEMENTS(cases));
  suite_add_tcase(s, tc);

  tc = tcase_create("format");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, optional_field_never_written);
  tcase_add_test(tc, format_baseline);
  tcase_add_test(tc, format_bad_magic);
  tcase_add_test(tc, format_too_short);
  tcase_add_test(tc, format_wrong_version);
  tcase_add_test(tc, format_truncated_everywhere);
  tcase_add_test(tc, format_too_large);
  tcase_add_test(tc, format_directory);
  tcase_add_test(tc, format_section_bounds);
  tcase_add_test(tc, format_record_sizes);
  tcase_add_test(tc, format_string_table_lies);
  tcase_add_test(tc, format_line_table_count);
  tcase_add_test(tc, format_overlapping_sections);
  suite_add_tcase(s, tc);

  tc = tcase_create("runtime");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, output_without_fields_is_json);
  tcase_add_test(tc, fused_jump_explained);
  tcase_add_test(tc, input_as_output);
  tcase_add_test(tc, teacher_gap_overflow);
  tcase_add_test(tc, long_escaped_key);
  suite_add_tcase(s, tc);

  /* found as crashes and unbounded memory by this test, fixed since */
  tc = tcase_create("fixed-bugs");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, long_type_chain);
  tcase_add_test(tc, shared_code_condition_sites);
  tcase_add_test(tc, verifier_memory_bounded);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
