/* test-host.c: the host API (portfolios built by path, decisions read by path) against the shipped criteria. */
#include <check.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-private.h"
#include "libreg/libreg.h"

static RegProgram *program; /* the shipped criteria, compiled once before the tests fork */
static char **examples;     /* examples/portfolios.jsonl, one line each */
static guint n_examples;

static char *
source_path(const char *rel)
{
  const char *src = g_getenv("SRCDIR");
  return g_build_filename(src ? src : ".", rel, NULL);
}

static RegProgram *
compile_rules(void)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  g_autofree char *rules = source_path("rules");
  g_autoptr(GError) error = NULL;
  if (!reg_compiler_add_path(c, rules, &error))
    g_error("%s", error->message);
  RegProgram *p = reg_compiler_compile(c, &error);
  if (!p)
    g_error("%s", error->message);
  return p;
}

static void
load_examples(void)
{
  g_autofree char *path = source_path("examples/portfolios.jsonl");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, NULL, &error))
    g_error("%s", error->message);
  char **lines = g_strsplit(text, "\n", -1);
  GPtrArray *keep = g_ptr_array_new();
  for (char **l = lines; *l; l++)
    if (**l)
      g_ptr_array_add(keep, g_strdup(*l));
  g_strfreev(lines);
  n_examples = keep->len;
  g_ptr_array_add(keep, NULL);
  examples = (char **) g_ptr_array_free(keep, FALSE);
}

/* ---- A small JSON walker: fills a RegInput from a JSON portfolio by paths ---- */

typedef struct {
  const char *p, *end;
  RegInput *in;
  GString *path;
  GError *error; /* the first setter error */
  bool malformed;
} Fill;

static const char *
ws(const char *p, const char *end)
{
  return reg_json_ws(p, end);
}

/* A JSON string at @p: its unescaped text (g_free) and the end. */
static char *
json_str(const char *p, const char *end, const char **after)
{
  bool esc;
  if (reg_json_string(p, end, after, &esc) != REG_JSON_OK)
    return NULL;
  size_t raw = (size_t) (*after - p - 2);
  char *s = g_malloc(raw + 1);
  size_t n = reg_json_unescape(p + 1, raw, s);
  s[n] = '\0';
  return s;
}

static void fill_value(Fill *f);

static void
fill_skip(Fill *f)
{
  const char *q;
  if (reg_json_skip(f->p, f->end, 64, &q) != REG_JSON_OK) {
    f->malformed = true;
    return;
  }
  f->p = q;
}

static void
set_error(Fill *f, GError *e)
{
  if (!f->error)
    f->error = e;
  else
    g_error_free(e);
}

static void
fill_value(Fill *f)
{
  GError *e = NULL;
  f->p = ws(f->p, f->end);
  if (f->p >= f->end) {
    f->malformed = true;
    return;
  }
  const char *path = f->path->str;
  RegKind kind = reg_input_get_kind(f->in, path, NULL);
  char c = *f->p;
  if (c == '{') {
    if (!reg_input_set_empty(f->in, path, &e))
      set_error(f, e);
    f->p = ws(f->p + 1, f->end);
    if (f->p < f->end && *f->p == '}') {
      f->p++;
      return;
    }
    for (;;) {
      f->p = ws(f->p, f->end);
      if (f->p >= f->end || *f->p != '"') {
        f->malformed = true;
        return;
      }
      const char *q;
      g_autofree char *key = json_str(f->p, f->end, &q);
      if (!key) {
        f->malformed = true;
        return;
      }
      f->p = ws(q, f->end);
      if (f->p >= f->end || *f->p != ':') {
        f->malformed = true;
        return;
      }
      f->p = ws(f->p + 1, f->end);
      size_t base = f->path->len;
      if (base)
        g_string_append_c(f->path, '.');
      g_string_append(f->path, key);
      if (reg_input_get_kind(f->in, f->path->str, NULL) == REG_KIND_INVALID)
        fill_skip(f); /* unknown fields are ignored, as by the JSON reader */
      else
        fill_value(f);
      g_string_truncate(f->path, base);
      if (f->malformed)
        return;
      f->p = ws(f->p, f->end);
      if (f->p < f->end && *f->p == ',') {
        f->p++;
        continue;
      }
      if (f->p < f->end && *f->p == '}') {
        f->p++;
        return;
      }
      f->malformed = true;
      return;
    }
  }
  if (c == '[') {
    if (!reg_input_set_empty(f->in, path, &e))
      set_error(f, e);
    f->p = ws(f->p + 1, f->end);
    if (f->p < f->end && *f->p == ']') {
      f->p++;
      return;
    }
    for (guint i = 0;; i++) {
      size_t base = f->path->len;
      g_string_append_printf(f->path, "[%u]", i);
      fill_value(f);
      g_string_truncate(f->path, base);
      if (f->malformed)
        return;
      f->p = ws(f->p, f->end);
      if (f->p < f->end && *f->p == ',') {
        f->p++;
        continue;
      }
      if (f->p < f->end && *f->p == ']') {
        f->p++;
        return;
      }
      f->malformed = true;
      return;
    }
  }
  if (c == '"') {
    const char *q;
    g_autofree char *s = json_str(f->p, f->end, &q);
    if (!s) {
      f->malformed = true;
      return;
    }
    f->p = q;
    gboolean ok = kind == REG_KIND_DATE ? reg_input_set_date(f->in, path, s, &e)
                  : kind == REG_KIND_ENUM ? reg_input_set_enum(f->in, path, s, &e)
                                          : reg_input_set_text(f->in, path, s, &e);
    if (!ok)
      set_error(f, e);
    return;
  }
  if (c == 't' || c == 'f') {
    bool v = c == 't';
    f->p += v ? 4 : 5;
    if (!reg_input_set_bool(f->in, path, v, &e))
      set_error(f, e);
    return;
  }
  const char *q;
  if (reg_json_number(f->p, f->end, &q) != REG_JSON_OK) {
    f->malformed = true;
    return;
  }
  g_autofree char *num = g_strndup(f->p, (gsize) (q - f->p));
  f->p = q;
  gboolean ok;
  if (kind == REG_KIND_INT && !strpbrk(num, ".eE"))
    ok = reg_input_set_int(f->in, path, g_ascii_strtoll(num, NULL, 10), &e);
  else
    ok = reg_input_set_decimal(f->in, path, num, &e);
  if (!ok)
    set_error(f, e);
}

/* Fills @in from a JSON portfolio; FALSE with *@error for the first setter error, or malformed. */
static gboolean
fill_from_json(RegInput *in, const char *json, GError **error, bool *malformed)
{
  Fill f = { json, json + strlen(json), in, g_string_new(NULL), NULL, false };
  reg_input_clear(in);
  fill_value(&f);
  g_string_free(f.path, TRUE);
  *malformed = f.malformed;
  if (f.malformed) {
    g_clear_error(&f.error);
    return FALSE;
  }
  if (f.error) {
    g_propagate_error(error, f.error);
    return FALSE;
  }
  return TRUE;
}

/* The decision line without its "input_sha256" member. */
static char *
without_input_sha(const char *line)
{
  const char *k = strstr(line, ",\"input_sha256\":\"");
  if (!k)
    return g_strdup(line);
  const char *e = k + strlen(",\"input_sha256\":\"") + 64 + 1;
  g_autofree char *head = g_strndup(line, (gsize) (k - line));
  return g_strconcat(head, e, NULL);
}

static char *
decide_json(RegEvaluator *ev, const char *json, GError **error)
{
  GString *out = g_string_new(NULL);
  if (!reg_evaluator_decide_json(ev, json, -1, out, error)) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

static char *
decide_input(RegEvaluator *ev, RegInput *in, GError **error)
{
  GString *out = g_string_new(NULL);
  if (!reg_evaluator_decide_input(ev, in, out, error)) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

#define assert_error(e, want_code, want_msg)                                                    \
  do {                                                                                          \
    ck_assert_msg((e) != NULL, "expected an error: %s", (want_msg));                           \
    ck_assert_msg(g_error_matches((e), REG_EVAL_ERROR, (want_code)), "code %d, expected %d: %s", \
                  (e)->code, (want_code), (e)->message);                                        \
    ck_assert_str_eq((e)->message, (want_msg));                                                 \
    g_clear_error(&(e));                                                                        \
  } while (0)

/* ---- The JSON route and the built route agree ---- */

START_TEST(examples_same_as_json)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  g_autoptr(RegInput) in = reg_input_new(program);
  guint good = 0, data_errors = 0;
  for (guint i = 0; i < n_examples; i++) {
    GError *je = NULL, *be = NULL;
    g_autofree char *via_json = decide_json(ev, examples[i], &je);
    g_autoptr(RegDecision) dj = reg_evaluator_get_decision(ev);
    bool malformed;
    gboolean filled = fill_from_json(in, examples[i], &be, &malformed);
    if (!via_json) {
      ck_assert_ptr_null(dj);
      if (malformed) {
        ck_assert_str_eq(je->message, "malformed JSON");
      } else if (!filled) {
        /* a bad value: the setter says what the reader says */
        ck_assert_int_eq(be->code, REG_EVAL_ERROR_DATA);
        ck_assert_str_eq(be->message, je->message);
        data_errors++;
      } else {
        g_autofree char *d = decide_input(ev, in, &be);
        ck_assert_ptr_null(d);
        ck_assert_int_eq(be->code, je->code);
        ck_assert_str_eq(be->message, je->message);
        data_errors++;
      }
      g_clear_error(&je);
      g_clear_error(&be);
      continue;
    }
    ck_assert_msg(filled, "line %u: %s", i + 1, be ? be->message : "malformed");
    g_autofree char *via_input = decide_input(ev, in, &be);
    ck_assert_msg(via_input != NULL, "line %u: %s", i + 1, be ? be->message : "");
    g_autoptr(RegDecision) di = reg_evaluator_get_decision(ev);
    ck_assert_ptr_nonnull(di);

    /* the same decision but for input_sha256 */
    g_autofree char *a = without_input_sha(via_json);
    g_autofree char *b = without_input_sha(via_input);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(via_json, via_input); /* the examples are not in canonical form */

    /* input_sha256 is the SHA-256 of the canonical JSON: deciding it gives the same line */
    g_autofree char *canon = reg_input_to_json(in);
    g_autofree char *via_canon = decide_json(ev, canon, NULL);
    ck_assert_ptr_nonnull(via_canon);
    ck_assert_str_eq(via_canon, via_input);
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, canon, -1);
    g_autofree char *quoted = g_strdup_printf("\"input_sha256\":\"%s\"", sum);
    ck_assert_ptr_nonnull(strstr(via_input, quoted));

    /* and the canonical JSON of the canonical JSON is itself */
    g_autoptr(RegInput) again = reg_input_new(program);
    ck_assert(fill_from_json(again, canon, NULL, &malformed));
    g_autofree char *canon2 = reg_input_to_json(again);
    ck_assert_str_eq(canon, canon2);

    /* the snapshots of both routes are equal, and begin the decision line */
    g_autofree char *sj = reg_decision_to_json(dj);
    g_autofree char *si = reg_decision_to_json(di);
    ck_assert_str_eq(sj, si);
    ck_assert_int_eq(strncmp(via_json, sj, strlen(sj) - 1), 0);
    ck_assert_int_eq(via_json[strlen(sj) - 1], ',');
    good++;
  }
  ck_assert_uint_eq(good, 12);
  ck_assert_uint_eq(data_errors, 2);
}
END_TEST

/* Without audit fields the two routes give byte-identical lines. */
START_TEST(examples_identical_without_audit)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  reg_evaluator_set_audit_fields(ev, FALSE);
  g_autoptr(RegInput) in = reg_input_new(program);
  for (guint i = 0; i < n_examples; i++) {
    g_autofree char *via_json = decide_json(ev, examples[i], NULL);
    bool malformed;
    if (!via_json || !fill_from_json(in, examples[i], NULL, &malformed))
      continue;
    g_autofree char *via_input = decide_input(ev, in, NULL);
    ck_assert_str_eq(via_json, via_input);
    ck_assert_ptr_null(strstr(via_input, "input_sha256"));
  }
}
END_TEST

/* The public view, with explanations: still the same. */
START_TEST(examples_other_view_and_explain)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  ck_assert(reg_evaluator_set_view(ev, "openbaar", NULL));
  reg_evaluator_set_explain(ev, TRUE);
  g_autoptr(RegInput) in = reg_input_new(program);
  guint n = 0;
  for (guint i = 0; i < n_examples; i++) {
    g_autofree char *via_json = decide_json(ev, examples[i], NULL);
    bool malformed;
    if (!via_json || !fill_from_json(in, examples[i], NULL, &malformed))
      continue;
    g_autofree char *via_input = decide_input(ev, in, NULL);
    g_autofree char *a = without_input_sha(via_json);
    g_autofree char *b = without_input_sha(via_input);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(b, "\"explain\":"));
    g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
    ck_assert_str_eq(reg_decision_get_text(d, "teacher", NULL),
                     reg_evaluator_get_key(ev));
    ck_assert(reg_decision_has(d, "name", NULL));
    n++;
  }
  ck_assert_uint_eq(n, 12);
}
END_TEST

/* ---- The accessors agree with the decision's JSON, value by value ---- */

typedef struct {
  RegDecision *d;
  const char *p, *end;
  GString *path;
  guint checked;
} Check;

static void
check_value(Check *c)
{
  GError *e = NULL;
  c->p = ws(c->p, c->end);
  const char *path = c->path->str;
  if (c->path->len) {
    ck_assert_msg(reg_decision_has(c->d, path, &e), "%s", path);
    ck_assert_ptr_null(e);
  }
  RegKind kind = reg_decision_get_kind(c->d, path, &e);
  ck_assert_msg(kind != REG_KIND_INVALID, "%s: %s", path, e ? e->message : "");
  char ch = *c->p;
  c->checked++;
  if (ch == '{') {
    ck_assert_int_eq(kind, REG_KIND_RECORD);
    c->p = ws(c->p + 1, c->end);
    if (*c->p == '}') {
      c->p++;
      return;
    }
    for (;;) {
      const char *q;
      g_autofree char *key = json_str(ws(c->p, c->end), c->end, &q);
      c->p = ws(ws(q, c->end) + 1, c->end);
      size_t base = c->path->len;
      if (base)
        g_string_append_c(c->path, '.');
      g_string_append(c->path, key);
      check_value(c);
      g_string_truncate(c->path, base);
      c->p = ws(c->p, c->end);
      if (*c->p++ == '}')
        return;
    }
  }
  if (ch == '[') {
    ck_assert_int_eq(kind, REG_KIND_LIST);
    guint n = 0;
    c->p = ws(c->p + 1, c->end);
    if (*c->p == ']') {
      c->p++;
    } else {
      for (;; n++) {
        size_t base = c->path->len;
        g_string_append_printf(c->path, "[%u]", n);
        check_value(c);
        g_string_truncate(c->path, base);
        c->p = ws(c->p, c->end);
        if (*c->p++ == ']') {
          n++;
          break;
        }
      }
    }
    ck_assert_uint_eq(reg_decision_get_length(c->d, path, &e), n);
    ck_assert_ptr_null(e);
    /* one past the end is absent, not an error */
    g_autofree char *past = g_strdup_printf("%s[%u]", path, n);
    ck_assert(!reg_decision_has(c->d, past, &e));
    ck_assert_ptr_null(e);
    return;
  }
  if (ch == '"') {
    const char *q;
    g_autofree char *s = json_str(c->p, c->end, &q);
    c->p = q;
    if (kind == REG_KIND_DATE) {
      g_autofree char *d = reg_decision_get_date(c->d, path, &e);
      ck_assert_msg(d != NULL, "%s", e ? e->message : "");
      ck_assert_str_eq(d, s);
    } else {
      ck_assert(kind == REG_KIND_TEXT || kind == REG_KIND_ENUM);
      const char *t = reg_decision_get_text(c->d, path, &e);
      ck_assert_msg(t != NULL, "%s", e ? e->message : "");
      ck_assert_str_eq(t, s);
    }
    return;
  }
  if (ch == 't' || ch == 'f') {
    ck_assert_int_eq(kind, REG_KIND_BOOL);
    ck_assert_int_eq(reg_decision_get_bool(c->d, path, &e), ch == 't');
    ck_assert_ptr_null(e);
    c->p += ch == 't' ? 4 : 5;
    return;
  }
  const char *q;
  ck_assert_int_eq(reg_json_number(c->p, c->end, &q), REG_JSON_OK);
  g_autofree char *num = g_strndup(c->p, (gsize) (q - c->p));
  c->p = q;
  ck_assert(kind == REG_KIND_DECIMAL || kind == REG_KIND_INT);
  g_autofree char *dec = reg_decision_get_decimal(c->d, path, &e);
  ck_assert_ptr_nonnull(dec);
  ck_assert_str_eq(dec, num);
  gint64 units = 0;
  ck_assert(reg_decision_get_decimal_units(c->d, path, 6, &units, &e));
  ck_assert_int_eq(units, (gint64) (g_ascii_strtod(num, NULL) * 1000000.0 + (units < 0 ? -0.5 : 0.5)));
  if (!strchr(num, '.'))
    ck_assert_int_eq(reg_decision_get_int(c->d, path, &e), g_ascii_strtoll(num, NULL, 10));
  ck_assert_ptr_null(e);
}

START_TEST(accessors_match_json)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  reg_evaluator_set_audit_fields(ev, FALSE);
  guint total = 0;
  for (int view = 0; view < 2; view++) {
    ck_assert(reg_evaluator_set_view(ev, view ? "openbaar" : "besluit", NULL));
    for (guint i = 0; i < n_examples; i++) {
      g_autofree char *line = decide_json(ev, examples[i], NULL);
      if (!line)
        continue;
      g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
      Check c = { d, line, line + strlen(line), g_string_new(NULL), 0 };
      check_value(&c);
      g_string_free(c.path, TRUE);
      total += c.checked;
    }
  }
  ck_assert_uint_gt(total, 300);
}
END_TEST

/* Values the spec's examples name (tests/data/spec-examples/expected.jsonl). */
START_TEST(accessors_known_values)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  g_autoptr(GError) e = NULL;

  g_autofree char *l1 = decide_json(ev, examples[0], &e);
  ck_assert_ptr_nonnull(l1);
  g_autoptr(RegDecision) d1 = reg_evaluator_get_decision(ev);
  ck_assert_str_eq(reg_decision_get_text(d1, "teacher", &e), "T900001");
  ck_assert_str_eq(reg_decision_get_text(d1, "bevoegdheden[0].status", &e), "geregistreerd");
  ck_assert_str_eq(reg_decision_get_text(d1, "bevoegdheden[0].code", &e), "vo-wiskunde");
  ck_assert(reg_decision_get_bool(d1, "bevoegdheden[0].herregistratie", &e));
  g_autofree char *asof = reg_decision_get_date(d1, "as_of", &e);
  ck_assert_str_eq(asof, "2020-09-01");
  g_autofree char *end = reg_decision_get_date(d1, "bevoegdheden[0].term.end", &e);
  ck_assert_str_eq(end, "2023-08-01");
  g_autofree char *total = reg_decision_get_decimal(d1, "bevoegdheden[0].progress.totaal", &e);
  ck_assert_str_eq(total, "16.5");
  gint64 units = 0;
  ck_assert(reg_decision_get_decimal_units(d1, "bevoegdheden[0].progress.totaal", 2, &units, &e));
  ck_assert_int_eq(units, 1650);
  ck_assert(reg_decision_get_decimal_units(d1, "bevoegdheden[0].progress.totaal", 1, &units, &e));
  ck_assert_int_eq(units, 165);
  ck_assert(reg_decision_get_decimal_units(d1, "bevoegdheden[0].progress.totaal", 18, &units, &e) ==
            FALSE);
  g_clear_error(&e);
  ck_assert_int_eq(reg_decision_get_int(d1, "bevoegdheden[0].progress.werkervaring", &e), 700);
  ck_assert_uint_eq(reg_decision_get_length(d1, "bevoegdheden", &e), 1);
  ck_assert_uint_eq(reg_decision_get_length(d1, "notices", &e), 0);
  ck_assert(!reg_decision_has(d1, "bevoegdheden[0].previous", &e));
  ck_assert(reg_decision_has(d1, "bevoegdheden[0].term", &e));
  ck_assert(reg_decision_has(d1, "", &e));
  ck_assert_ptr_null(e);
  ck_assert_int_eq(reg_decision_get_kind(d1, "bevoegdheden[7].previous.failed[2].actual", &e),
                   REG_KIND_DECIMAL);
  ck_assert_int_eq(reg_decision_get_kind(d1, "", &e), REG_KIND_RECORD);
  ck_assert_ptr_eq(reg_decision_get_program(d1), program);

  /* line 5: the previous term failed (aantekening, geen) */
  GString *out = g_string_new(NULL);
  ck_assert(reg_evaluator_decide_json(ev, examples[4], -1, out, &e));
  g_autoptr(RegDecision) d5 = reg_evaluator_get_decision(ev);
  ck_assert(reg_decision_has(d5, "bevoegdheden[0].previous", &e));
  ck_assert_str_eq(reg_decision_get_text(d5, "bevoegdheden[0].previous.outcome", &e),
                   "aantekening");
  ck_assert_str_eq(reg_decision_get_text(d5, "bevoegdheden[0].previous.consequence", &e), "geen");
  ck_assert(reg_decision_has(d5, "bevoegdheden[0].previous.failed", &e));
  ck_assert_uint_gt(reg_decision_get_length(d5, "bevoegdheden[0].previous.failed", &e), 0);
  ck_assert_ptr_null(e);
  g_string_free(out, TRUE);

  /* line 2: a notice with a bevoegdheid but no subject (optional fields) */
  out = g_string_new(NULL);
  ck_assert(reg_evaluator_decide_json(ev, examples[1], -1, out, &e));
  g_autoptr(RegDecision) d2 = reg_evaluator_get_decision(ev);
  ck_assert_uint_eq(reg_decision_get_length(d2, "notices", &e), 1);
  ck_assert_str_eq(reg_decision_get_text(d2, "notices[0].code", &e), "risico");
  ck_assert(reg_decision_has(d2, "notices[0].bevoegdheid", &e));
  ck_assert(!reg_decision_has(d2, "notices[0].subject", &e));
  ck_assert_str_eq(reg_decision_get_text(d2, "notices[0].to[0]", &e), "leraar");
  ck_assert_ptr_null(e);
  g_string_free(out, TRUE);
}
END_TEST

START_TEST(accessor_errors)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  GError *e = NULL;
  ck_assert_ptr_null(reg_evaluator_get_decision(ev)); /* nothing decided yet */
  g_autofree char *line = decide_json(ev, examples[0], NULL);
  g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
  ck_assert_ptr_nonnull(line);

  ck_assert_ptr_null(reg_decision_get_text(d, "teachr", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teachr: no such field in besluit");
  ck_assert_ptr_null(reg_decision_get_text(d, "bevoegdheden[0].nope", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "bevoegdheden[0].nope: no such field in BevoegdheidBesluit");
  ck_assert_ptr_null(reg_decision_get_text(d, "teacher.id", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher.id: no such field (teacher is text)");
  ck_assert_ptr_null(reg_decision_get_text(d, "teacher[0]", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher[0]: not a list (teacher is text)");
  ck_assert_ptr_null(reg_decision_get_text(d, "[0]", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "[0]: not a list (the root is a record (besluit))");
  ck_assert_ptr_null(reg_decision_get_text(d, "bevoegdheden[1].status", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[1]: index out of range (the list has 1 element)");
  ck_assert_ptr_null(reg_decision_get_text(d, "bevoegdheden[0].previous.outcome", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "bevoegdheden[0].previous: absent");
  ck_assert_ptr_null(reg_decision_get_text(d, "as_of", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "as_of: reg_decision_get_text does not apply to a date");
  ck_assert_ptr_null(reg_decision_get_date(d, "teacher", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher: reg_decision_get_date does not apply to text");
  ck_assert(!reg_decision_get_bool(d, "bevoegdheden", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden: reg_decision_get_bool does not apply to a list");
  ck_assert_uint_eq(reg_decision_get_length(d, "bevoegdheden[0]", &e), 0);
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0]: reg_decision_get_length does not apply to a record "
               "(BevoegdheidBesluit)");
  ck_assert_ptr_null(reg_decision_get_decimal(d, "bevoegdheden[0].status", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].status: reg_decision_get_decimal does not apply to a member of "
               "Status");
  ck_assert_int_eq(reg_decision_get_int(d, "bevoegdheden[0].progress.totaal", &e), 0);
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].progress.totaal: 16.5 is not a whole number");
  gint64 units = 42;
  ck_assert(!reg_decision_get_decimal_units(d, "bevoegdheden[0].progress.totaal", 0, &units, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].progress.totaal: 16.5 has more than 0 decimals");
  ck_assert(!reg_decision_get_decimal_units(d, "bevoegdheden[0].progress.totaal", 19, &units, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].progress.totaal: scale 19 is more than 18 decimals");
  ck_assert(!reg_decision_get_decimal_units(d, "bevoegdheden[0].progress.werkervaring", 18,
                                            &units, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].progress.werkervaring: the value does not fit in 64 bits at "
               "scale 18");
  ck_assert_int_eq(units, 42);
  /* bad syntax */
  const char *bad[] = { "bevoegdheden[", "bevoegdheden[x]", "bevoegdheden[0", "bevoegdheden..code",
                        ".teacher", "teacher.", "bevoegdheden[0]code", "bevoegdheden[-1]",
                        "bevoegdheden[99999999999]", "]", "a]b" };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    ck_assert(!reg_decision_has(d, bad[i], &e));
    ck_assert_msg(e && e->code == REG_EVAL_ERROR_USAGE, "%s", bad[i]);
    g_autofree char *want = g_strdup_printf(
      "'%s': not a path (field names joined by '.', list indexes as [N])", bad[i]);
    assert_error(e, REG_EVAL_ERROR_USAGE, want);
  }
  /* has: absent is no error; a wrong place is */
  ck_assert(!reg_decision_has(d, "bevoegdheden[0].previous", &e));
  ck_assert_ptr_null(e);
  ck_assert(!reg_decision_has(d, "bevoegdheden[0].previous.lifted", NULL));
  ck_assert(!reg_decision_has(d, "bevoegdheden[0].previouz", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].previouz: no such field in BevoegdheidBesluit");
  ck_assert_int_eq(reg_decision_get_kind(d, "bevoegdheden.code", &e), REG_KIND_INVALID);
  assert_error(e, REG_EVAL_ERROR_USAGE, "bevoegdheden.code: no such field (bevoegdheden is a list)");

  /* a failed decision has no decision to read */
  ck_assert_ptr_null(decide_json(ev, examples[12], &e));
  g_clear_error(&e);
  ck_assert_ptr_null(reg_evaluator_get_decision(ev));
  ck_assert_ptr_null(decide_json(ev, examples[14], &e));
  g_clear_error(&e);
  ck_assert_ptr_null(reg_evaluator_get_decision(ev));
  /* an unknown member of an open enumeration passed through (the public view) */
  ck_assert(reg_evaluator_set_view(ev, "openbaar", NULL));
  g_autofree char *odd =
    g_strdup("{\"teacher\":{\"id\":\"T1\",\"consent_public_activities\":true},\"as_of\":\"2020-01-01\","
             "\"registration\":{\"start\":\"2019-08-01\"},\"bevoegdheden\":[],"
             "\"activities\":[{\"id\":\"A1\",\"type\":\"zeilen\",\"domain\":\"vakinhoud\","
             "\"date\":\"2019-10-01\"}]}");
  g_autofree char *oline = decide_json(ev, odd, &e);
  ck_assert_msg(oline != NULL, "%s", e ? e->message : "");
  ck_assert_ptr_nonnull(strstr(oline, "\"type\":null"));
  g_autoptr(RegDecision) od = reg_evaluator_get_decision(ev);
  ck_assert(reg_decision_has(od, "activities[0].type", &e));
  ck_assert_ptr_null(reg_decision_get_text(od, "activities[0].type", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities[0].type: not a known member of Activiteitsoort (null in JSON)");
  ck_assert_str_eq(reg_decision_get_text(od, "activities[0].title", &e), "");
  ck_assert_ptr_null(e);
}
END_TEST

/* A decision is a snapshot: it outlives the evaluator's next decisions and the evaluator. */
START_TEST(decision_lifetime)
{
  RegEvaluator *ev = reg_evaluator_new(program);
  g_autofree char *l0 = decide_json(ev, examples[0], NULL);
  ck_assert_ptr_nonnull(l0);
  RegDecision *d0 = reg_evaluator_get_decision(ev);
  g_autofree char *j0 = reg_decision_to_json(d0);
  const char *status = reg_decision_get_text(d0, "bevoegdheden[0].status", NULL);
  /* the view changes after deciding: the decision is still read as the view it was made in */
  ck_assert(reg_evaluator_set_view(ev, "openbaar", NULL));
  RegDecision *again = reg_evaluator_get_decision(ev);
  g_autofree char *ja = reg_decision_to_json(again);
  ck_assert_str_eq(ja, j0);
  reg_decision_unref(again);
  for (guint i = 1; i < n_examples; i++)
    g_free(decide_json(ev, examples[i], NULL));
  reg_evaluator_free(ev);
  g_autofree char *j1 = reg_decision_to_json(d0);
  ck_assert_str_eq(j0, j1);
  ck_assert_str_eq(status, "geregistreerd");
  ck_assert_str_eq(reg_decision_get_text(d0, "bevoegdheden[0].status", NULL), "geregistreerd");
  RegDecision *r = reg_decision_ref(d0);
  reg_decision_unref(d0);
  ck_assert_str_eq(reg_decision_get_text(r, "teacher", NULL), "T900001");
  reg_decision_unref(r);
  reg_decision_unref(NULL);
}
END_TEST

/* ---- The builder: every error path ---- */

START_TEST(setter_errors)
{
  g_autoptr(RegInput) in = reg_input_new(program);
  GError *e = NULL;

  /* paths that do not fit the schema: usage errors */
  ck_assert(!reg_input_set_text(in, "teacher.idd", "T1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher.idd: no such field in Leraar");
  ck_assert(!reg_input_set_text(in, "leraar.id", "T1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "leraar: no such field in Portfolio");
  ck_assert(!reg_input_set_text(in, "teacher.id.x", "T1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher.id.x: no such field (teacher.id is text)");
  ck_assert(!reg_input_set_text(in, "teacher[0].id", "T1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher[0]: not a list (teacher is a record (Leraar))");
  ck_assert(!reg_input_set_text(in, "activities.id", "A1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "activities.id: no such field (activities is a list)");
  ck_assert(!reg_input_set_text(in, "activities[1].id", "A1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities[1]: index out of range (the list has 0 elements; an index equal to "
               "the length appends)");
  ck_assert(!reg_input_set_text(in, "activities[0", "A1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "'activities[0': not a path (field names joined by '.', list indexes as [N])");
  ck_assert(!reg_input_set_text(in, "", "A1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "reg_input_set_text does not apply to a record (Portfolio) (set its fields, or use "
               "reg_input_set_empty)");

  /* a setter for another kind of value */
  ck_assert(!reg_input_set_text(in, "registration.start", "2019-08-01", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "registration.start: reg_input_set_text does not apply to a date (use "
               "reg_input_set_date)");
  ck_assert(!reg_input_set_date(in, "teacher.id", "2019-08-01", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher.id: reg_input_set_date does not apply to text (use reg_input_set_text)");
  ck_assert(!reg_input_set_text(in, "bevoegdheden[0].sector", "vo", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "bevoegdheden[0].sector: reg_input_set_text does not apply to a member of Sector "
               "(use reg_input_set_enum)");
  ck_assert(!reg_input_set_enum(in, "teacher.id", "vo", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher.id: reg_input_set_enum does not apply to text (use reg_input_set_text)");
  ck_assert(!reg_input_set_bool(in, "activities[0].contact_hours", TRUE, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities[0].contact_hours: reg_input_set_bool does not apply to a number (use "
               "reg_input_set_decimal or reg_input_set_int)");
  ck_assert(!reg_input_set_int(in, "activities[0].validated", 1, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities[0].validated: reg_input_set_int does not apply to true/false (use "
               "reg_input_set_bool)");
  ck_assert(!reg_input_set_decimal(in, "activities", "1", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities: reg_input_set_decimal does not apply to a list (use reg_input_append "
               "or reg_input_set_empty)");
  ck_assert(!reg_input_set_decimal_units(in, "teacher", 1, 0, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher: reg_input_set_decimal_units does not apply to a record (Leraar) (set its "
               "fields, or use reg_input_set_empty)");
  ck_assert_int_eq(reg_input_append(in, "teacher", &e), -1);
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher: reg_input_append does not apply to a record (Leraar) (set its fields, "
               "or use reg_input_set_empty)");
  ck_assert(!reg_input_set_empty(in, "teacher.id", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher.id: reg_input_set_empty does not apply to text (use reg_input_set_text)");
  ck_assert_uint_eq(reg_input_get_length(in, "teacher.name", &e), 0);
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "teacher.name: reg_input_get_length does not apply to text");
  ck_assert_int_eq(reg_input_get_kind(in, "teacher.nope", &e), REG_KIND_INVALID);
  assert_error(e, REG_EVAL_ERROR_USAGE, "teacher.nope: no such field in Leraar");
  ck_assert(!reg_input_has(in, "nope", &e));
  assert_error(e, REG_EVAL_ERROR_USAGE, "nope: no such field in Portfolio");

  /* values that do not fit the field: data errors, with the JSON reader's messages */
  ck_assert(!reg_input_set_date(in, "registration.start", "2019-02-29", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "registration.start: not a date");
  ck_assert(!reg_input_set_date(in, "as_of", "2019-8-1", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "as_of: not a date");
  ck_assert(!reg_input_set_date(in, "as_of", "", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "as_of: not a date");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "-1", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: negative");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "-0.01", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: negative");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "1.005", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: more than 2 decimals");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "0.0000001", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: more than 2 decimals");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "1e300", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: number out of range");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "12,5", &e));
  assert_error(e, REG_EVAL_ERROR_DATA,
               "activities[0].contact_hours: '12,5' is not a number (JSON syntax: -12.5, 3, 1e2)");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", "", &e));
  assert_error(e, REG_EVAL_ERROR_DATA,
               "activities[0].contact_hours: '' is not a number (JSON syntax: -12.5, 3, 1e2)");
  ck_assert(!reg_input_set_decimal(in, "activities[0].contact_hours", " 1", &e));
  g_clear_error(&e);
  ck_assert(!reg_input_set_decimal_units(in, "activities[0].contact_hours", -1, 0, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: negative");
  ck_assert(!reg_input_set_decimal_units(in, "activities[0].contact_hours", 12345, 3, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: more than 2 decimals");
  ck_assert(!reg_input_set_decimal_units(in, "activities[0].contact_hours", 1, 18, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: more than 2 decimals");
  ck_assert(!reg_input_set_decimal_units(in, "activities[0].contact_hours", 1, 19, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "activities[0].contact_hours: scale 19 is more than 18 decimals");
  ck_assert(!reg_input_set_decimal_units(in, "activities[0].contact_hours", G_MAXINT64, 0, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: number out of range");
  ck_assert(!reg_input_set_int(in, "activities[0].contact_hours", -3, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: negative");
  ck_assert(!reg_input_set_int(in, "activities[0].contact_hours", INT64_C(9223372036855), &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].contact_hours: number out of range");
  ck_assert(!reg_input_set_enum(in, "bevoegdheden[0].sector", "hbo", &e));
  assert_error(e, REG_EVAL_ERROR_DATA,
               "bevoegdheden[0].sector: \"hbo\" is not one of po, so, vo, mbo");
  ck_assert(!reg_input_set_enum(in, "bevoegdheden[0].sector", "VO", &e));
  assert_error(e, REG_EVAL_ERROR_DATA,
               "bevoegdheden[0].sector: \"VO\" is not one of po, so, vo, mbo");
  ck_assert(!reg_input_set_enum(in, "activities[0].type", "\xff", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].type: not valid UTF-8");
  ck_assert(!reg_input_set_text(in, "teacher.name", "caf\xc3", &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "teacher.name: not valid UTF-8");

  /* a failed setter changes nothing: no list grew, no record became present */
  ck_assert_uint_eq(reg_input_get_length(in, "activities", NULL), 0);
  ck_assert_uint_eq(reg_input_get_length(in, "bevoegdheden", NULL), 0);
  ck_assert(!reg_input_has(in, "activities", NULL));
  ck_assert(!reg_input_has(in, "teacher", NULL));
  ck_assert(!reg_input_has(in, "registration", NULL));
  ck_assert(!reg_input_has(in, "as_of", NULL));
  ck_assert(!reg_input_has(in, "activities[0]", NULL)); /* a place that can be made, not made */
  g_autofree char *json = reg_input_to_json(in);
  ck_assert_str_eq(json, "{\"voorportaal\":[],\"activities\":[]}");

  /* a bad value over a good one keeps the good one */
  ck_assert(reg_input_set_date(in, "registration.start", "2019-08-01", &e));
  ck_assert(!reg_input_set_date(in, "registration.start", "2019-08-32", &e));
  g_clear_error(&e);
  g_autofree char *json2 = reg_input_to_json(in);
  ck_assert_str_eq(json2,
                   "{\"registration\":{\"start\":\"2019-08-01\"},\"voorportaal\":[],"
                   "\"activities\":[]}");
}
END_TEST

/* Accepted values, and how they are written. */
START_TEST(setter_values)
{
  g_autoptr(RegInput) in = reg_input_new(program);
  GError *e = NULL;
  ck_assert_ptr_eq(reg_input_get_program(in), program);
  ck_assert(reg_input_set_text(in, "teacher.id", "T1", &e));
  ck_assert(reg_input_set_text(in, "teacher.name", "Zo\xc3\xab \"Z\"\n", &e));
  ck_assert(reg_input_set_date(in, "registration.start", "2020-02-29", &e));
  ck_assert(reg_input_set_date(in, "as_of", "2021-03-01", &e));
  ck_assert_int_eq(reg_input_append(in, "bevoegdheden", &e), 0);
  ck_assert(reg_input_set_text(in, "bevoegdheden[0].code", "vo-wiskunde", &e));
  ck_assert(reg_input_set_enum(in, "bevoegdheden[0].sector", "vo", &e));
  ck_assert(reg_input_set_bool(in, "bevoegdheden[0].herregistratie", TRUE, &e));
  /* index == length appends, also in the middle of a path */
  ck_assert(reg_input_set_date(in, "bevoegdheden[0].work[0].date", "2020-07-31", &e));
  ck_assert(reg_input_set_int(in, "bevoegdheden[0].work[0].hours", 700, &e));
  ck_assert(reg_input_set_date(in, "bevoegdheden[0].work[1].date", "2021-07-31", &e));
  ck_assert(reg_input_set_decimal_units(in, "bevoegdheden[0].work[1].hours", 70025, 2, &e));
  ck_assert_uint_eq(reg_input_get_length(in, "bevoegdheden[0].work", &e), 2);
  ck_assert(reg_input_set_text(in, "activities[0].id", "A1", &e));
  ck_assert(reg_input_set_enum(in, "activities[0].type", "zeilen", &e)); /* open: unknown */
  ck_assert(reg_input_set_enum(in, "activities[0].domain", "vakinhoud", &e));
  ck_assert(reg_input_set_date(in, "activities[0].date", "2020-03-14", &e));
  ck_assert(reg_input_set_decimal(in, "activities[0].contact_hours", "12.50", &e));
  ck_assert(reg_input_set_decimal(in, "activities[0].selfstudy_hours", "1e1", &e));
  ck_assert(reg_input_set_decimal(in, "activities[0].selfstudy_hours", "4.5", &e)); /* again */
  ck_assert(reg_input_set_text(in, "activities[0].bevoegdheden[0]", "vo-wiskunde", &e));
  ck_assert_int_eq(reg_input_append(in, "activities[0].bevoegdheden", &e), 1);
  ck_assert(reg_input_set_text(in, "activities[0].bevoegdheden[1]", "vo-natuurkunde", &e));
  ck_assert(reg_input_set_decimal_units(in, "activities[0].bevoegdheden", 0, 0, &e) == FALSE);
  g_clear_error(&e);
  ck_assert(reg_input_set_decimal_units(in, "bevoegdheden[0].work[0].hours", 700000000, 6, &e));
  ck_assert(reg_input_set_decimal_units(in, "bevoegdheden[0].work[0].hours",
                                        INT64_C(7000000000000000000), 16, &e));
  ck_assert_ptr_null(e);
  ck_assert_int_eq(reg_input_get_kind(in, "activities[5].bevoegdheden[3]", &e), REG_KIND_TEXT);
  ck_assert_int_eq(reg_input_get_kind(in, "activities[0].type", &e), REG_KIND_ENUM);
  ck_assert_int_eq(reg_input_get_kind(in, "bevoegdheden[0].work", &e), REG_KIND_LIST);
  ck_assert_int_eq(reg_input_get_kind(in, "bevoegdheden[0].work[0].hours", &e), REG_KIND_DECIMAL);
  ck_assert_int_eq(reg_input_get_kind(in, "teacher.consent_public_activities", &e), REG_KIND_BOOL);
  ck_assert_int_eq(reg_input_get_kind(in, "as_of", &e), REG_KIND_DATE);
  ck_assert_int_eq(reg_input_get_kind(in, "", &e), REG_KIND_RECORD);
  ck_assert(reg_input_has(in, "activities[0].bevoegdheden[1]", &e));
  ck_assert(!reg_input_has(in, "activities[0].bevoegdheden[2]", &e));
  ck_assert(!reg_input_has(in, "activities[0].title", &e));
  ck_assert(!reg_input_has(in, "voorportaal", &e));
  ck_assert_ptr_null(e);

  g_autofree char *json = reg_input_to_json(in);
  ck_assert_str_eq(
    json,
    "{\"teacher\":{\"id\":\"T1\",\"name\":\"Zo\xc3\xab \\\"Z\\\"\\n\",\"school\":\"\","
    "\"consent_public_activities\":false},\"as_of\":\"2021-03-01\","
    "\"registration\":{\"start\":\"2020-02-29\"},"
    "\"bevoegdheden\":[{\"code\":\"vo-wiskunde\",\"sector\":\"vo\",\"herregistratie\":true,"
    "\"work\":[{\"date\":\"2020-07-31\",\"hours\":700},{\"date\":\"2021-07-31\",\"hours\":700.25}]}],"
    "\"voorportaal\":[],"
    "\"activities\":[{\"id\":\"A1\",\"type\":\"zeilen\",\"domain\":\"vakinhoud\","
    "\"date\":\"2020-03-14\",\"contact_hours\":12.5,\"selfstudy_hours\":4.5,"
    "\"bevoegdheden\":[\"vo-wiskunde\",\"vo-natuurkunde\"],\"validated\":false,"
    "\"evidence\":false,\"test_passed\":false,\"source\":\"eigen\",\"title\":\"\","
    "\"provider\":\"\"}]}");

  /* it decides, and the same as its JSON */
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  g_autofree char *line = decide_input(ev, in, &e);
  ck_assert_msg(line != NULL, "%s", e ? e->message : "");
  ck_assert_str_eq(reg_evaluator_get_key(ev), "T1");
  g_autofree char *line2 = decide_json(ev, json, &e);
  ck_assert_str_eq(line, line2);
  g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
  ck_assert_str_eq(reg_decision_get_text(d, "rejected[0].activity", &e), "A1");
  ck_assert_str_eq(reg_decision_get_text(d, "rejected[0].reason", &e), "type");

  /* a NULL out: decide for the accessors only */
  ck_assert(reg_evaluator_decide_input(ev, in, NULL, &e));
  ck_assert_ptr_null(e);

  /* set_empty drops what was below */
  ck_assert(reg_input_set_empty(in, "bevoegdheden[0].work", &e));
  ck_assert_uint_eq(reg_input_get_length(in, "bevoegdheden[0].work", &e), 0);
  ck_assert(reg_input_has(in, "bevoegdheden[0].work", &e));
  ck_assert(reg_input_set_empty(in, "teacher", &e));
  ck_assert(reg_input_has(in, "teacher", &e));
  ck_assert(!reg_input_has(in, "teacher.id", &e));
  /* clear forgets everything */
  reg_input_clear(in);
  ck_assert(!reg_input_has(in, "teacher", &e));
  ck_assert(reg_input_has(in, "", &e));
  g_autofree char *empty = reg_input_to_json(in);
  ck_assert_str_eq(empty, "{\"voorportaal\":[],\"activities\":[]}");
  ck_assert(reg_input_set_empty(in, "", &e));
  ck_assert_ptr_null(e);
  reg_input_free(NULL);
}
END_TEST

/* Errors found when deciding: the same as the JSON route's for the same portfolio. */
typedef struct {
  const char *json;     /* the portfolio, as JSON */
  RegEvalError code;
  const char *message;
} DecideCase;

static const DecideCase decide_cases[] = {
  { "{}", REG_EVAL_ERROR_DATA, "teacher: missing" },
  { "{\"teacher\":{}}", REG_EVAL_ERROR_DATA, "teacher.id: missing" },
  { "{\"teacher\":{\"id\":\"T1\"}}", REG_EVAL_ERROR_DATA, "registration: missing" },
  { "{\"teacher\":{\"id\":\"T1\"},\"registration\":{}}", REG_EVAL_ERROR_DATA,
    "registration.start: missing" },
  { "{\"teacher\":{\"id\":\"T1\"},\"registration\":{\"start\":\"2019-08-01\"}}",
    REG_EVAL_ERROR_DATA, "bevoegdheden: missing" },
  { "{\"teacher\":{\"id\":\"T1\"},\"registration\":{\"start\":\"2019-08-01\"},"
    "\"bevoegdheden\":[]}",
    REG_EVAL_ERROR_DATA, "as_of: missing (and no --as-of given)" },
  { "{\"teacher\":{\"id\":\"T1\"},\"as_of\":\"2019-01-01\","
    "\"registration\":{\"start\":\"2019-08-01\"},\"bevoegdheden\":[]}",
    REG_EVAL_ERROR_DATA, "as_of: before registration.start" },
  { "{\"teacher\":{\"id\":\"T1\"},\"as_of\":\"2020-01-01\","
    "\"registration\":{\"start\":\"2019-08-01\"},\"bevoegdheden\":[{\"code\":\"x\"}]}",
    REG_EVAL_ERROR_DATA, "bevoegdheden[0].sector: missing" },
  { "{\"teacher\":{\"id\":\"T1\"},\"as_of\":\"2020-01-01\","
    "\"registration\":{\"start\":\"2019-08-01\"},\"bevoegdheden\":[{\"sector\":\"po\"}],"
    "\"activities\":[{}]}",
    REG_EVAL_ERROR_DATA, "bevoegdheden[0].code: missing" },
  { "{\"teacher\":{\"id\":\"T1\"},\"as_of\":\"2020-01-01\","
    "\"registration\":{\"start\":\"2019-08-01\"},\"bevoegdheden\":[],"
    "\"activities\":[{\"id\":\"A\",\"type\":\"cursus\",\"domain\":\"x\"}]}",
    REG_EVAL_ERROR_DATA, "activities[0].date: missing" },
};

START_TEST(decide_errors_match_json)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  g_autoptr(RegInput) in = reg_input_new(program);
  for (size_t i = 0; i < G_N_ELEMENTS(decide_cases); i++) {
    const DecideCase *c = &decide_cases[i];
    GError *je = NULL, *be = NULL;
    ck_assert_ptr_null(decide_json(ev, c->json, &je));
    ck_assert_msg(je && je->code == (int) c->code && strcmp(je->message, c->message) == 0,
                  "case %zu: JSON route: %s", i, je ? je->message : "no error");
    bool malformed;
    ck_assert(fill_from_json(in, c->json, NULL, &malformed));
    ck_assert_ptr_null(decide_input(ev, in, &be));
    ck_assert_msg(be != NULL, "case %zu", i);
    ck_assert_msg(be->code == (int) c->code && strcmp(be->message, c->message) == 0,
                  "case %zu: built route: %s", i, be->message);
    ck_assert_ptr_null(reg_evaluator_get_decision(ev));
    g_clear_error(&je);
    g_clear_error(&be);
  }
  /* a JSON portfolio not in schema order reports its first error in its own order; a built one
   * in schema order */
  GError *je = NULL, *be = NULL;
  const char *unordered = "{\"registration\":{},\"teacher\":{}}";
  ck_assert_ptr_null(decide_json(ev, unordered, &je));
  assert_error(je, REG_EVAL_ERROR_DATA, "registration.start: missing");
  bool malformed;
  ck_assert(fill_from_json(in, unordered, NULL, &malformed));
  ck_assert_ptr_null(decide_input(ev, in, &be));
  assert_error(be, REG_EVAL_ERROR_DATA, "teacher.id: missing");

  /* an element appended but never set is missing */
  reg_input_clear(in);
  GError *e = NULL;
  ck_assert(reg_input_set_text(in, "teacher.id", "T7", &e));
  ck_assert(reg_input_set_date(in, "registration.start", "2019-08-01", &e));
  ck_assert(reg_input_set_date(in, "as_of", "2020-01-01", &e));
  ck_assert(reg_input_set_empty(in, "bevoegdheden", &e));
  ck_assert(reg_input_set_text(in, "activities[0].id", "A1", &e));
  ck_assert(reg_input_set_enum(in, "activities[0].type", "cursus", &e));
  ck_assert(reg_input_set_enum(in, "activities[0].domain", "vakinhoud", &e));
  ck_assert(reg_input_set_date(in, "activities[0].date", "2019-10-01", &e));
  ck_assert_int_eq(reg_input_append(in, "activities[0].bevoegdheden", &e), 0);
  ck_assert_ptr_null(decide_input(ev, in, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "activities[0].bevoegdheden[0]: missing");
  ck_assert_str_eq(reg_evaluator_get_key(ev), "T7");
  g_autofree char *j = reg_input_to_json(in);
  ck_assert_ptr_nonnull(strstr(j, "\"bevoegdheden\":[null]"));
  ck_assert(reg_input_set_text(in, "activities[0].bevoegdheden[0]", "vo-x", &e));
  g_autofree char *ok = decide_input(ev, in, &e);
  ck_assert_ptr_nonnull(ok);
  ck_assert_str_eq(reg_evaluator_get_key(ev), "T7");

  /* without as_of in the portfolio, the evaluator's date */
  reg_input_clear(in);
  ck_assert(reg_input_set_text(in, "teacher.id", "T8", &e));
  ck_assert(reg_input_set_date(in, "registration.start", "2019-08-01", &e));
  ck_assert(reg_input_set_empty(in, "bevoegdheden", &e));
  ck_assert_ptr_null(decide_input(ev, in, &e));
  assert_error(e, REG_EVAL_ERROR_DATA, "as_of: missing (and no --as-of given)");
  ck_assert(reg_evaluator_set_as_of(ev, "2020-02-02", &e));
  g_autofree char *dated = decide_input(ev, in, &e);
  ck_assert_ptr_nonnull(dated);
  ck_assert_ptr_nonnull(strstr(dated, "\"as_of\":\"2020-02-02\""));
  g_autofree char *canon = reg_input_to_json(in);
  ck_assert_ptr_null(strstr(canon, "as_of"));
  g_autofree char *dated2 = decide_json(ev, canon, &e);
  ck_assert_str_eq(dated, dated2);
}
END_TEST

START_TEST(decide_runtime_errors)
{
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  g_autoptr(RegInput) in = reg_input_new(program);
  bool malformed;
  ck_assert(fill_from_json(in, examples[10], NULL, &malformed));
  GError *e = NULL;

  /* the instruction budget */
  reg_evaluator_set_budget(ev, 10);
  ck_assert(!reg_evaluator_decide_input(ev, in, NULL, &e));
  ck_assert(g_error_matches(e, REG_EVAL_ERROR, REG_EVAL_ERROR_BUDGET));
  g_autofree char *budget_msg = g_strdup(e->message);
  g_clear_error(&e);
  GString *o = g_string_new(NULL);
  ck_assert(!reg_evaluator_decide_json(ev, examples[10], -1, o, &e));
  ck_assert_str_eq(e->message, budget_msg);
  g_clear_error(&e);
  ck_assert_ptr_null(reg_evaluator_get_decision(ev));
  reg_evaluator_set_budget(ev, 50000000);

  /* the memory limit: building the portfolio itself does not fit (a new evaluator: the
   * first block of the arena, once allocated, is kept) */
  g_autoptr(RegEvaluator) small = reg_evaluator_new(program);
  reg_evaluator_set_memory_limit(small, 64);
  ck_assert(!reg_evaluator_decide_input(small, in, o, &e));
  ck_assert(g_error_matches(e, REG_EVAL_ERROR, REG_EVAL_ERROR_DATA));
  ck_assert_msg(g_str_has_suffix(e->message, "portfolio too large for the memory limit"), "%s",
                e->message);
  g_clear_error(&e);
  ck_assert_uint_eq(o->len, 0);
  ck_assert_ptr_null(reg_evaluator_get_decision(small));
  reg_evaluator_set_memory_limit(small, 0);
  ck_assert(reg_evaluator_decide_input(small, in, o, &e));
  ck_assert_uint_gt(o->len, 0);
  g_string_free(o, TRUE);

  /* an input of other criteria */
  g_autoptr(RegCompiler) c = reg_compiler_new();
  reg_compiler_add_source(c, "mini.regel",
                          "criteria \"mini\" versie \"1\"\n"
                          "invoer P:\n  id: tekst, verplicht, sleutel\n  as_of: datum, is peildatum\n"
                          "uitvoer besluit:\n  id: tekst = id\n",
                          -1);
  g_autoptr(RegProgram) mini = reg_compiler_compile(c, &e);
  ck_assert_msg(mini != NULL, "%s", e ? e->message : "");
  g_autoptr(RegInput) other = reg_input_new(mini);
  ck_assert(reg_input_set_text(other, "id", "X", &e));
  ck_assert(!reg_evaluator_decide_input(ev, other, NULL, &e));
  assert_error(e, REG_EVAL_ERROR_USAGE,
               "the portfolio was built for other criteria than the evaluator's");
  g_autoptr(RegEvaluator) mev = reg_evaluator_new(mini);
  ck_assert(reg_evaluator_set_as_of(mev, "2020-01-01", NULL));
  GString *mo = g_string_new(NULL);
  ck_assert(reg_evaluator_decide_input(mev, other, mo, &e));
  ck_assert(g_str_has_prefix(mo->str, "{\"id\":\"X\",\"ruleset\":{\"name\":\"mini\""));
  g_string_free(mo, TRUE);
  /* the same compiled bytes loaded twice are the same criteria */
  g_autoptr(GBytes) bytes = reg_program_get_bytes(program);
  g_autoptr(RegProgram) loaded = reg_program_new_from_bytes(bytes, &e);
  ck_assert_ptr_nonnull(loaded);
  g_autoptr(RegEvaluator) lev = reg_evaluator_new(loaded);
  ck_assert(reg_evaluator_decide_input(lev, in, NULL, &e));
  ck_assert_ptr_null(e);
}
END_TEST

/* One input decided by many evaluators, interleaved with JSON decisions. */
START_TEST(input_reused)
{
  g_autoptr(RegEvaluator) a = reg_evaluator_new(program);
  g_autoptr(RegEvaluator) b = reg_evaluator_new(program);
  g_autoptr(RegInput) in = reg_input_new(program);
  bool malformed;
  ck_assert(fill_from_json(in, examples[8], NULL, &malformed));
  g_autofree char *first = decide_input(a, in, NULL);
  for (guint i = 0; i < n_examples; i++) {
    g_free(decide_json(a, examples[i], NULL));
    g_autofree char *x = decide_input(b, in, NULL);
    ck_assert_str_eq(x, first);
  }
  g_autofree char *y = decide_input(a, in, NULL);
  ck_assert_str_eq(y, first);
}
END_TEST

static Suite *
host_suite(void)
{
  Suite *s = suite_create("host");
  TCase *tc = tcase_create("host");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, examples_same_as_json);
  tcase_add_test(tc, examples_identical_without_audit);
  tcase_add_test(tc, examples_other_view_and_explain);
  tcase_add_test(tc, accessors_match_json);
  tcase_add_test(tc, accessors_known_values);
  tcase_add_test(tc, accessor_errors);
  tcase_add_test(tc, decision_lifetime);
  tcase_add_test(tc, setter_errors);
  tcase_add_test(tc, setter_values);
  tcase_add_test(tc, decide_errors_match_json);
  tcase_add_test(tc, decide_runtime_errors);
  tcase_add_test(tc, input_reused);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  program = compile_rules();
  load_examples();
  SRunner *sr = srunner_create(host_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  g_strfreev(examples);
  reg_program_unref(program);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
