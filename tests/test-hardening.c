/* test-hardening.c: limits on untrusted input, flipped bytes of compiled files, reader bugs. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler-private.h"
#include "evaluator-private.h"
#include "libreg/libreg.h"

/*
 * docs/hardening.md lists every limit with its default and how a host
 * changes it; each test here proves one of them: the largest input within
 * the limit is accepted, the smallest beyond it gets the documented error.
 */

/* ---- helpers ------------------------------------------------------------------ */

static RegProgram *
compile_src(const char *src, GError **error)
{
  RegCompiler *c = reg_compiler_new();
  reg_compiler_add_source(c, "t.regel", src, -1);
  RegProgram *p = reg_compiler_compile(c, error);
  reg_compiler_free(c);
  return p;
}

static RegProgram *
compile_ok(const char *src)
{
  GError *err = NULL;
  RegCompiler *c = reg_compiler_new();
  reg_compiler_add_source(c, "t.regel", src, -1);
  RegProgram *p = reg_compiler_compile(c, &err);
  if (!p) {
    g_autofree char *d = reg_compiler_format_diagnostics(c);
    ck_abort_msg("does not compile: %s\n%s", err->message, d);
  }
  reg_compiler_free(c);
  return p;
}

/* The first diagnostic's code and message of criteria that must not compile. */
static guint
first_diagnostic(RegCompiler *c, const char **message)
{
  GError *err = NULL;
  RegProgram *p = reg_compiler_compile(c, &err);
  ck_assert_msg(p == NULL, "compiled, but should not have");
  ck_assert_ptr_nonnull(err);
  g_error_free(err);
  ck_assert_uint_gt(reg_compiler_get_n_diagnostics(c), 0);
  guint code = 0;
  const char *m = reg_compiler_get_diagnostic(c, 0, &code, NULL, NULL, NULL);
  if (message)
    *message = m;
  return code;
}

/*
 * Decides @json: the decision line without audit fields, or "KIND: message"
 * for an error (KIND: DATA, BUDGET, MEMORY, ARITH, RUNTIME, USAGE).
 */
static char *
decide(RegEvaluator *ev, const char *json, gssize len)
{
  GString *out = g_string_new(NULL);
  GError *err = NULL;
  reg_evaluator_set_audit_fields(ev, FALSE);
  if (reg_evaluator_decide_json(ev, json, len, out, &err))
    return g_string_free(out, FALSE);
  static const char *const kinds[] = { "DATA", "BUDGET", "MEMORY", "ARITH", "RUNTIME", "USAGE" };
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(err->domain == REG_EVAL_ERROR && err->code >= 0 &&
                  err->code < (gint) G_N_ELEMENTS(kinds),
                "not an evaluation error: %s", err->message);
  char *s = g_strdup_printf("%s: %s", kinds[err->code], err->message);
  g_error_free(err);
  g_string_free(out, TRUE);
  return s;
}

static RegEvaluator *
evaluator(RegProgram *p)
{
  RegEvaluator *ev = reg_evaluator_new(p);
  ck_assert(reg_evaluator_set_as_of(ev, "2024-01-01", NULL));
  return ev;
}

static const char SMALL[] = "criteria \"t\" versie \"1\"\n"
                            "invoer I:\n"
                            "  n: geheel\n"
                            "  ns: lijst van geheel\n"
                            "  x: lijst van tekst\n"
                            "uitvoer uit:\n"
                            "  r: geheel = n + aantal(v in ns)\n";

/* ---- criteria: file size and count ---------------------------------------------- */

/* SMALL padded with a comment to exactly @size bytes. */
static char *
padded_source(size_t size)
{
  size_t base = strlen(SMALL);
  ck_assert_uint_gt(size, base + 2);
  char *s = g_malloc(size + 1);
  memcpy(s, SMALL, base);
  s[base] = '#';
  memset(s + base + 1, 'x', size - base - 2);
  s[size - 1] = '\n';
  s[size] = '\0';
  return s;
}

START_TEST(criteria_file_size)
{
  /* 4 MiB is the largest criteria file; one byte more is REG0008 naming both sizes */
  g_autofree char *at = padded_source(REG_MAX_SOURCE_SIZE);
  g_autoptr(RegProgram) p = compile_src(at, NULL);
  ck_assert_ptr_nonnull(p);

  g_autofree char *over = padded_source(REG_MAX_SOURCE_SIZE + 1);
  g_autoptr(RegCompiler) c = reg_compiler_new();
  reg_compiler_add_source(c, "groot.regel", over, -1);
  const char *msg = NULL;
  ck_assert_uint_eq(first_diagnostic(c, &msg), 8);
  ck_assert_str_eq(msg, "criteria file is 4194305 bytes; the limit is 4194304");
  g_autofree char *all = reg_compiler_format_diagnostics(c);
  ck_assert_msg(g_str_has_prefix(all, "groot.regel:"), "%s", all);
}
END_TEST

/* A file of @size bytes that takes no room on disk (a hole). */
static char *
sparse_file(const char *dir, const char *name, goffset size)
{
  char *path = g_build_filename(dir, name, NULL);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(ftruncate(fileno(f), size), 0);
  fclose(f);
  return path;
}

START_TEST(oversized_files_unread)
{
  /* a criteria file or a compiled file far beyond its limit is refused by its size, before
   * it is read (it was read whole first: 5 GB of memory for a 5 GB mistake) */
  g_autofree char *dir = g_dir_make_tmp("libreg-hardening-XXXXXX", NULL);
  ck_assert_ptr_nonnull(dir);
  g_autofree char *src = sparse_file(dir, "groot.regel", G_GOFFSET_CONSTANT(5000000000));
  g_autoptr(RegCompiler) c = reg_compiler_new();
  ck_assert(reg_compiler_add_path(c, src, NULL));
  reg_compiler_add_source(c, "a.regel", SMALL, -1);
  const char *msg = NULL;
  ck_assert_uint_eq(first_diagnostic(c, &msg), 8);
  ck_assert_str_eq(msg, "criteria file is 5000000000 bytes; the limit is 4194304");

  g_autofree char *bin = sparse_file(dir, "groot.regb", G_GOFFSET_CONSTANT(5000000000));
  GError *err = NULL;
  RegProgram *p = reg_program_new_from_file(bin, &err);
  ck_assert_ptr_null(p);
  ck_assert_int_eq(err->code, REG_LOAD_ERROR_FORMAT);
  ck_assert_msg(g_str_has_suffix(err->message, "larger than 67108864 bytes"), "%s", err->message);
  g_error_free(err);
  g_unlink(src);
  g_unlink(bin);
  g_rmdir(dir);
}
END_TEST

/* Files without a size (a device, a FIFO) are read no further than one byte past the limit:
 * /dev/zero as criteria or as a compiled file ends in an error, not in all of memory. */
START_TEST(endless_files_bounded)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  ck_assert(reg_compiler_add_path(c, "/dev/zero", NULL));
  const char *msg = NULL;
  ck_assert_uint_eq(first_diagnostic(c, &msg), 8);
  ck_assert_str_eq(msg, "criteria file is 4194305 bytes; the limit is 4194304");
  GError *err = NULL;
  RegProgram *p = reg_program_new_from_file("/dev/zero", &err);
  ck_assert_ptr_null(p);
  ck_assert_int_eq(err->code, REG_LOAD_ERROR_FORMAT);
  ck_assert_msg(g_str_has_suffix(err->message, "larger than 67108864 bytes"), "%s", err->message);
  g_error_free(err);
}
END_TEST

START_TEST(criteria_file_count)
{
  /* a criteria set is at most 256 files */
  for (int n = REG_MAX_SOURCES; n <= REG_MAX_SOURCES + 1; n++) {
    g_autoptr(RegCompiler) c = reg_compiler_new();
    reg_compiler_add_source(c, "a.regel", SMALL, -1);
    for (int i = 1; i < n; i++) {
      g_autofree char *name = g_strdup_printf("f%03d.regel", i);
      reg_compiler_add_source(c, name, "# leeg\n", -1);
    }
    if (n == REG_MAX_SOURCES) {
      g_autoptr(RegProgram) p = reg_compiler_compile(c, NULL);
      ck_assert_ptr_nonnull(p);
    } else {
      const char *msg = NULL;
      ck_assert_uint_eq(first_diagnostic(c, &msg), 8);
      ck_assert_str_eq(msg, "f256.regel: more than 256 criteria files");
    }
  }
}
END_TEST

/* ---- criteria: nesting ------------------------------------------------------------ */

static char *
nested_source(const char *open, int n, const char *middle, const char *close)
{
  GString *s = g_string_new("criteria \"t\" versie \"1\"\ninvoer I:\n  n: geheel\n"
                            "uitvoer uit:\n  r: geheel = ");
  for (int i = 0; i < n; i++)
    g_string_append(s, open);
  g_string_append(s, middle);
  for (int i = 0; i < n; i++)
    g_string_append(s, close);
  g_string_append_c(s, '\n');
  return g_string_free(s, FALSE);
}

START_TEST(criteria_nesting)
{
  /* an expression is at most 200 levels deep: n under 199 minus signs, not 200 (REG0006) */
  g_autofree char *ok = nested_source("-", 199, "n", "");
  g_autoptr(RegProgram) p = compile_ok(ok);
  g_autoptr(RegEvaluator) ev = evaluator(p);
  g_autofree char *got = decide(ev, "{\"n\": 5}", -1);
  ck_assert_str_eq(got, "{\"r\":-5}"); /* an odd number of minus signs */
  g_autofree char *deep = nested_source("-", 200, "n", "");
  g_autoptr(RegCompiler) c = reg_compiler_new();
  reg_compiler_add_source(c, "t.regel", deep, -1);
  const char *msg = NULL;
  ck_assert_uint_eq(first_diagnostic(c, &msg), 6);
  ck_assert_str_eq(msg, "expression nested more than 200 levels deep");

  /* parentheses add no depth, but the parser's stack holds some thousands: far beyond, a
   * syntax error (REG0001) that says so (bison's own words were "memory exhausted"), not a
   * crash */
  g_autofree char *parens = nested_source("(", 5000, "n", ")");
  g_autoptr(RegProgram) pp = compile_ok(parens);
  g_autoptr(RegEvaluator) ev2 = evaluator(pp);
  g_autofree char *got2 = decide(ev2, "{\"n\": 7}", -1);
  ck_assert_str_eq(got2, "{\"r\":7}");
  for (int n = 20000; n <= 200000; n *= 10) {
    g_autofree char *too_many = nested_source("(", n, "n", ")");
    g_autoptr(RegCompiler) c2 = reg_compiler_new();
    reg_compiler_add_source(c2, "t.regel", too_many, -1);
    const char *why = NULL;
    ck_assert_uint_eq(first_diagnostic(c2, &why), 1);
    ck_assert_msg(g_str_has_prefix(why, "nested too deeply: more than 10000 parentheses"), "%s",
                  why);
  }

  /* types nest: 'lijst van' 10000 times is refused, not a crash */
  GString *s = g_string_new("criteria \"t\" versie \"1\"\ninvoer I:\n  n: ");
  for (int i = 0; i < 10000; i++)
    g_string_append(s, "lijst van ");
  g_string_append(s, "geheel\nuitvoer uit:\n  r: geheel = 1\n");
  g_autoptr(RegCompiler) c3 = reg_compiler_new();
  reg_compiler_add_source(c3, "t.regel", s->str, -1);
  ck_assert_uint_gt(first_diagnostic(c3, NULL), 0);
  g_string_free(s, TRUE);
}
END_TEST

/* ---- portfolios: nesting ----------------------------------------------------------- */

/* {"x": "a", "q": [[...0...]]} with the whole line nested @depth deep (the outer object counts). */
static char *
nested_portfolio(int depth)
{
  GString *s = g_string_new("{\"n\": 1, \"q\": ");
  for (int i = 1; i < depth; i++)
    g_string_append_c(s, '[');
  g_string_append_c(s, '0');
  for (int i = 1; i < depth; i++)
    g_string_append_c(s, ']');
  g_string_append(s, ", \"ns\": [2]}");
  return g_string_free(s, FALSE);
}

START_TEST(portfolio_nesting)
{
  /* a portfolio line nests at most 256 deep, also in fields the schema does not know */
  g_autoptr(RegProgram) p = compile_ok(SMALL);
  g_autoptr(RegEvaluator) ev = evaluator(p);
  g_autofree char *at = nested_portfolio(256);
  g_autofree char *got = decide(ev, at, -1);
  ck_assert_str_eq(got, "{\"r\":2}");
  g_autofree char *over = nested_portfolio(257);
  g_autofree char *got2 = decide(ev, over, -1);
  ck_assert_str_eq(got2, "DATA: JSON nested more than 256 levels deep");

  /* the error line says where, and is not called malformed: it is the limit */
  GString *line = g_string_new(NULL);
  g_autoptr(RegBatch) b = reg_batch_new(p, 1);
  reg_batch_decide(b, over, strlen(over), 7, line, NULL);
  ck_assert_str_eq(line->str, "{\"line\":7,\"error\":\"JSON nested more than 256 levels deep\","
                              "\"detail\":\"nested too deeply at byte 269\"}\n");
  g_string_free(line, TRUE);

  /* 100000 levels: the same error, at once (no recursion, no allocation per level) */
  GString *deep = g_string_new(NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append_c(deep, '[');
  g_autofree char *got3 = decide(ev, deep->str, (gssize) deep->len);
  ck_assert_str_eq(got3, "DATA: JSON nested more than 256 levels deep");
  g_string_free(deep, TRUE);
  /* malformed JSON is still called that */
  g_autofree char *got4 = decide(ev, "{\"n\": [", -1);
  ck_assert_str_eq(got4, "DATA: malformed JSON");
}
END_TEST

/* ---- portfolios: list lengths and memory per decision ------------------------------ */

static char *
int_list(const char *field, guint n)
{
  GString *s = g_string_new("{\"n\": 0, \"");
  g_string_append_printf(s, "%s\": [", field);
  for (guint i = 0; i < n; i++)
    g_string_append(s, i ? ",1" : "1");
  g_string_append(s, "]}");
  return g_string_free(s, FALSE);
}

START_TEST(list_length)
{
  /*
   * A list's length is bounded by the memory limit of a decision: 8 bytes per
   * element in the arena, and as many again while the list is read. The
   * elements being read are held to the limit too (they were not: a line of
   * a million numbers took 8 MiB whatever the limit).
   */
  g_autoptr(RegProgram) p = compile_ok(SMALL);
  g_autoptr(RegEvaluator) ev = evaluator(p);
  const gsize limit = 1 << 20;
  reg_evaluator_set_memory_limit(ev, limit);
  g_autofree char *fits = int_list("ns", 100000);
  g_autofree char *got = decide(ev, fits, -1);
  ck_assert_str_eq(got, "{\"r\":100000}");
  g_autofree char *big = int_list("ns", 1000000);
  g_autofree char *got2 = decide(ev, big, -1);
  ck_assert_str_eq(got2, "DATA: ns: portfolio too large for the memory limit");
  ck_assert_msg(ev->reader.scap * sizeof(RegValue) <= limit,
                "list elements being read took %zu bytes, the limit is %zu",
                ev->reader.scap * sizeof(RegValue), (size_t) limit);
  /* text elements take arena memory for their bytes too */
  GString *texts = g_string_new("{\"x\": [");
  for (int i = 0; i < 100000; i++)
    g_string_append(texts, i ? ",\"abcdefgh\"" : "\"abcdefgh\"");
  g_string_append(texts, "]}");
  g_autofree char *got3 = decide(ev, texts->str, (gssize) texts->len);
  ck_assert_str_eq(got3, "DATA: x[65534]: portfolio too large for the memory limit");
  g_string_free(texts, TRUE);
  /* and the evaluator decides the next portfolio as usual */
  g_autofree char *got4 = decide(ev, "{\"n\": 3, \"ns\": [1, 2]}", -1);
  ck_assert_str_eq(got4, "{\"r\":5}");

  /* a tiny limit: even the portfolio's record does not fit, still no crash */
  reg_evaluator_set_memory_limit(ev, 1);
  g_autofree char *got5 = decide(ev, "{\"n\": 3, \"ns\": [1, 2]}", -1);
  ck_assert_msg(g_str_has_prefix(got5, "DATA: ") && strstr(got5, "memory limit"), "%s", got5);
}
END_TEST

/* The smallest value in [lo, hi] for which @ok holds, given that it holds for hi and not lo. */
static guint64
threshold(guint64 lo, guint64 hi, gboolean (*ok)(RegEvaluator *, const char *, guint64),
          RegEvaluator *ev, const char *json)
{
  while (hi - lo > 1) {
    guint64 mid = lo + (hi - lo) / 2;
    if (ok(ev, json, mid))
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

static gboolean
ok_with_budget(RegEvaluator *ev, const char *json, guint64 budget)
{
  reg_evaluator_set_budget(ev, budget);
  g_autofree char *got = decide(ev, json, -1);
  if (g_str_has_prefix(got, "{"))
    return TRUE;
  ck_assert_msg(g_str_has_prefix(got, "BUDGET: t.regel:"), "%s", got);
  ck_assert_msg(strstr(got, "instruction budget exhausted in "), "%s", got);
  return FALSE;
}

static gboolean
ok_with_memory(RegEvaluator *ev, const char *json, guint64 bytes)
{
  reg_evaluator_set_memory_limit(ev, (gsize) bytes);
  g_autofree char *got = decide(ev, json, -1);
  if (g_str_has_prefix(got, "{"))
    return TRUE;
  /* beyond the limit while reading the portfolio (a data error) or while computing */
  ck_assert_msg(g_str_has_prefix(got, "MEMORY: ") ||
                  (g_str_has_prefix(got, "DATA: ") && strstr(got, "memory limit")),
                "%s", got);
  return FALSE;
}

START_TEST(instruction_budget)
{
  /* the exact budget a decision needs: with it, decided; with one instruction less, an error */
  g_autoptr(RegProgram) p =
    compile_ok("criteria \"t\" versie \"1\"\ninvoer I:\n  ns: lijst van geheel\n"
               "uitvoer uit:\n  r: geheel = som(aantal(w in ns waarvoor w > v) voor v in ns)\n");
  g_autoptr(RegEvaluator) ev = evaluator(p);
  g_autofree char *json = int_list("ns", 300);
  guint64 need = threshold(0, 50000000, ok_with_budget, ev, json);
  ck_assert(ok_with_budget(ev, json, need));
  ck_assert(!ok_with_budget(ev, json, need - 1));
  ck_assert_uint_gt(need, 90000); /* 300 x 300 comparisons at least */
  /* the default (50 million) is enough for it, and a budget applies per decision */
  reg_evaluator_set_budget(ev, 50000000);
  g_autofree char *got = decide(ev, json, -1);
  ck_assert_str_eq(got, "{\"r\":0}");
}
END_TEST

START_TEST(memory_per_decision)
{
  /* the exact memory a decision needs: with it, decided; with one byte less, an error */
  g_autoptr(RegProgram) p =
    compile_ok("criteria \"t\" versie \"1\"\ninvoer I:\n  ns: lijst van geheel\n"
               "uitvoer uit:\n  r: geheel = aantal(l in [[w voor w in ns] voor v in ns])\n");
  g_autoptr(RegEvaluator) ev = evaluator(p);
  g_autofree char *json = int_list("ns", 200);
  guint64 need = threshold(1, 256u << 20, ok_with_memory, ev, json);
  ck_assert(ok_with_memory(ev, json, need));
  ck_assert(!ok_with_memory(ev, json, need - 1));
  ck_assert_uint_gt(need, 200 * 200 * 8); /* 200 lists of 200 */
  /* 0 restores the default, 256 MiB */
  reg_evaluator_set_memory_limit(ev, 0);
  g_autofree char *got = decide(ev, json, -1);
  ck_assert_str_eq(got, "{\"r\":200}");
}
END_TEST

/* ---- flipped bytes of compiled files ----------------------------------------------- */

static GBytes *
compiled_rules(void)
{
  const char *src = g_getenv("SRCDIR");
  g_autofree char *dir = g_build_filename(src ? src : ".", "rules", NULL);
  g_autoptr(RegCompiler) c = reg_compiler_new();
  GError *err = NULL;
  ck_assert_msg(reg_compiler_add_path(c, dir, &err), "%s", err ? err->message : "");
  g_autoptr(RegProgram) p = reg_compiler_compile(c, &err);
  ck_assert_msg(p != NULL, "the shipped criteria do not compile");
  return reg_program_get_bytes(p);
}

/* Lines 1, 9 and 11 of the spec's examples (a first term; rejections and imports; several
 * bevoegdheden and a voorportaal): together they run most of the shipped criteria. */
static char *
spec_examples(void)
{
  const char *src = g_getenv("SRCDIR");
  g_autofree char *path = g_build_filename(src ? src : ".", "tests", "data", "spec-examples",
                                           "portfolios.jsonl", NULL);
  g_autofree char *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  ck_assert_uint_ge(g_strv_length(lines), 11);
  return g_strdup_printf("%s\n%s\n%s\n", lines[0], lines[8], lines[10]);
}

START_TEST(flipped_bytes)
{
  /*
   * Any byte of a compiled file of the shipped criteria changed (one bit
   * flipped, or all eight, rotating along the file): the loader rejects it
   * with REG_LOAD_ERROR, or the program it accepts decides three of the
   * spec's examples with one line each, under the sanitizers without a
   * report. test-verifier.c proves each verifier rule; this is the property
   * over a real file.
   */
  g_autoptr(GBytes) good = compiled_rules();
  g_autofree char *examples = spec_examples();
  gsize n;
  const guint8 *d = g_bytes_get_data(good, &n);
  guint8 *buf = g_malloc(n);
  guint accepted = 0, rejected = 0;
  for (gsize off = 0; off < n; off++) {
    /* bit 0, 1, ..., 7, then all bits, then bit 0 again, ... along the file */
    guint8 mask = off % 9 == 8 ? 0xff : (guint8) (1u << (off % 9));
    memcpy(buf, d, n);
    buf[off] ^= mask;
    GBytes *bad = g_bytes_new_static(buf, n);
    GError *err = NULL;
    RegProgram *p = reg_program_new_from_bytes(bad, &err);
    g_bytes_unref(bad);
    if (!p) {
      ck_assert_msg(err && err->domain == REG_LOAD_ERROR &&
                      (err->code == REG_LOAD_ERROR_FORMAT || err->code == REG_LOAD_ERROR_VERIFY),
                    "offset %zu: rejected without a load error", off);
      g_error_free(err);
      rejected++;
      continue;
    }
    /* accepted: a change the verifier proves harmless (a name, a text, a constant) */
    accepted++;
    g_autoptr(RegBatch) b = reg_batch_new(p, 1);
    RegEvaluator *ev = reg_batch_get_evaluator(b, 0);
    reg_evaluator_set_budget(ev, 2000000);
    reg_evaluator_set_memory_limit(ev, 16 << 20);
    /* explanations read names, texts and conditions: worth a look now and then */
    if (accepted % 8 == 0)
      reg_evaluator_set_explain_style(ev, off % 2 ? REG_EXPLAIN_TRACE : REG_EXPLAIN_TEXTS);
    GString *out = g_string_new(NULL);
    gsize lines = reg_batch_decide(b, examples, strlen(examples), 1, out, NULL);
    ck_assert_uint_eq(lines, 3);
    guint nl = 0;
    for (const char *q = out->str; *q; q++)
      nl += *q == '\n';
    ck_assert_msg(nl == 3, "offset %zu: %u output lines", off, nl);
    g_string_free(out, TRUE);
    reg_program_unref(p);
  }
  g_free(buf);
  fprintf(stderr, "flipped bytes: %u rejected, %u accepted and decided\n", rejected, accepted);
  ck_assert_uint_gt(rejected, 0);
}
END_TEST

/* ---- bugs found by fuzzing and review ---------------------------------------------- */

START_TEST(escaped_key_longer_than_128_bytes)
{
  /* a key written with escapes is the field it spells, however long (it was cut to 128
   * bytes: never matched a longer field name, and compared past its buffer) */
  char name[130];
  memset(name, 'k', 129);
  name[129] = '\0';
  g_autofree char *src = g_strdup_printf("criteria \"t\" versie \"1\"\ninvoer I:\n  %s: geheel\n"
                                         "uitvoer uit:\n  r: geheel = %s\n",
                                         name, name);
  g_autoptr(RegProgram) p = compile_ok(src);
  g_autoptr(RegEvaluator) ev = evaluator(p);
  GString *json = g_string_new("{\"");
  for (int i = 0; i < 129; i++)
    g_string_append(json, "\\u006b");
  g_string_append(json, "\": 5}");
  g_autofree char *got = decide(ev, json->str, -1);
  ck_assert_str_eq(got, "{\"r\":5}");
  /* twice is a duplicate, however written */
  g_string_truncate(json, json->len - 1);
  g_string_append_printf(json, ", \"%s\": 6}", name);
  g_autofree char *got2 = decide(ev, json->str, -1);
  ck_assert_msg(g_str_has_suffix(got2, ": duplicate key"), "%s", got2);
  /* one byte short or long is another (unknown) key */
  g_string_assign(json, "{\"");
  for (int i = 0; i < 130; i++)
    g_string_append(json, "\\u006b");
  g_string_append(json, "\": 5}");
  g_autofree char *got3 = decide(ev, json->str, -1);
  ck_assert_str_eq(got3, "{\"r\":0}");
  g_string_free(json, TRUE);
}
END_TEST

START_TEST(escaped_member_longer_than_64_bytes)
{
  /* a keuzelijst member written with escapes is compared whole: it was cut to 64 raw bytes,
   * so a longer value could be taken for a shorter member, and a member written with many
   * escapes was not recognized */
  g_autoptr(RegProgram) p = compile_ok(
    "criteria \"t\" versie \"1\"\n"
    "keuzelijst K: aaaaaaaaaazzzz, abcdefghijklmnopqrstu\n"
    "invoer I:\n  k: K, verplicht\nuitvoer uit:\n  r: K = k\n");
  g_autoptr(RegEvaluator) ev = evaluator(p);
  /* 10 escaped a's (60 bytes), "zzzz": the first 64 bytes spell the first member; then "X" */
  GString *json = g_string_new("{\"k\": \"");
  for (int i = 0; i < 10; i++)
    g_string_append(json, "\\u0061");
  g_string_append(json, "zzzzX\"}");
  g_autofree char *got = decide(ev, json->str, -1);
  ck_assert_str_eq(got, "DATA: k: \"aaaaaaaaaazzzzX\" is not one of aaaaaaaaaazzzz, "
                        "abcdefghijklmnopqrstu");
  /* the second member with every letter escaped: 126 bytes of JSON for 21 letters */
  g_string_assign(json, "{\"k\": \"");
  for (const char *c = "abcdefghijklmnopqrstu"; *c; c++)
    g_string_append_printf(json, "\\u%04x", *c);
  g_string_append(json, "\"}");
  g_autofree char *got2 = decide(ev, json->str, -1);
  ck_assert_str_eq(got2, "{\"r\":\"abcdefghijklmnopqrstu\"}");
  g_string_free(json, TRUE);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("hardening");
  TCase *tc = tcase_create("limits");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, criteria_file_size);
  tcase_add_test(tc, oversized_files_unread);
  tcase_add_test(tc, endless_files_bounded);
  tcase_add_test(tc, criteria_file_count);
  tcase_add_test(tc, criteria_nesting);
  tcase_add_test(tc, portfolio_nesting);
  tcase_add_test(tc, list_length);
  tcase_add_test(tc, instruction_budget);
  tcase_add_test(tc, memory_per_decision);
  suite_add_tcase(s, tc);
  tc = tcase_create("flips");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, flipped_bytes);
  suite_add_tcase(s, tc);
  tc = tcase_create("bugs");
  tcase_add_test(tc, escaped_key_longer_than_128_bytes);
  tcase_add_test(tc, escaped_member_longer_than_64_bytes);
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
