/* fuzz-common.c: checks and fixed inputs the fuzz targets share (see fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "json-private.h"
#include "program-private.h"

void
fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
  fprintf(stderr, "%s:%d: broken promise: %s: ", file, line, cond);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

void
fuzz_setup(void)
{
  g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

RegEvaluator *
fuzz_evaluator(RegProgram *p)
{
  RegEvaluator *ev = reg_evaluator_new(p);
  FUZZ_CHECK(reg_evaluator_set_as_of(ev, "2023-09-01", NULL), "as_of");
  reg_evaluator_set_budget(ev, FUZZ_BUDGET);
  reg_evaluator_set_memory_limit(ev, FUZZ_MEMORY);
  return ev;
}

/* One line of output: a JSON object and nothing else. */
static void
check_object(const char *s, size_t len)
{
  FUZZ_CHECK(len >= 2 && s[0] == '{' && s[len - 1] == '}', "not an object: %.*s",
             (int) (len > 200 ? 200 : len), s);
  FUZZ_CHECK(reg_json_validate(s, len, REG_JSON_MAX_DEPTH) == REG_JSON_OK,
             "not JSON: %.*s", (int) (len > 200 ? 200 : len), s);
}

void
fuzz_check_lines(const char *out, size_t len, size_t n_lines)
{
  size_t n = 0;
  const char *p = out, *end = out + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    FUZZ_CHECK(nl != NULL, "the last output line has no newline");
    check_object(p, (size_t) (nl - p));
    n++;
    p = nl + 1;
  }
  FUZZ_CHECK(n == n_lines, "%zu output lines for %zu input lines", n, n_lines);
}

void
fuzz_decide(RegEvaluator *ev, const char *json, gssize len)
{
  GString *out = g_string_new(NULL);
  GError *err = NULL;
  if (reg_evaluator_decide_json(ev, json, len, out, &err)) {
    check_object(out->str, out->len);
    RegDecision *d = reg_evaluator_get_decision(ev);
    FUZZ_CHECK(d != NULL, "a decision without a snapshot");
    /* the snapshot's JSON is how the decision line begins */
    char *j = reg_decision_to_json(d);
    size_t jl = strlen(j);
    FUZZ_CHECK(jl >= 2 && j[jl - 1] == '}' && out->len >= jl - 1 &&
                 memcmp(out->str, j, jl - 1) == 0,
               "snapshot %s does not begin %s", j, out->str);
    g_free(j);
    reg_decision_unref(d);
  } else {
    FUZZ_CHECK(err != NULL && err->domain == REG_EVAL_ERROR && err->message[0] != '\0',
               "a failure without an evaluation error");
    FUZZ_CHECK(out->len == 0, "a failure that wrote output");
    FUZZ_CHECK(reg_evaluator_get_decision(ev) == NULL, "a failure with a decision");
    g_error_free(err);
  }
  g_string_free(out, TRUE);
}

/* A JSON string; with @escape_all every ASCII character is written \uXXXX, as JSON allows. */
static void
json_string(GString *out, const char *s, size_t n, gboolean escape_all)
{
  g_string_append_c(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c < 0x20 || (escape_all && c < 0x80))
      g_string_append_printf(out, "\\u%04x", c);
    else if (c == '"' || c == '\\')
      g_string_append_printf(out, "\\%c", c);
    else
      g_string_append_c(out, (char) c);
  }
  g_string_append_c(out, '"');
}

/* Beyond these the portfolio stops growing: a schema may nest 32 deep and be wide. */
#define SCHEMA_MAX_BYTES 65536
#define SCHEMA_MAX_DEPTH 40

static void
schema_value(const RegProgram *p, uint32_t type, GString *out, int depth, gboolean esc)
{
  if (type >= p->ntypes || depth > SCHEMA_MAX_DEPTH || out->len > SCHEMA_MAX_BYTES) {
    g_string_append(out, "null");
    return;
  }
  const RegType *t = &p->types[type];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
    g_string_append(out, depth & 1 ? "true" : "false");
    break;
  case REG_TK_INT:
    g_string_append(out, "3");
    break;
  case REG_TK_DEC:
    g_string_append(out, "12.5");
    break;
  case REG_TK_TEXT:
    json_string(out, "x", 1, esc);
    break;
  case REG_TK_DATE:
    g_string_append(out, "\"2021-03-01\"");
    break;
  case REG_TK_ENUM:
    if (t->arg < p->nenums && p->enums[t->arg].nmembers > 0) {
      const RegEnum *e = &p->enums[t->arg];
      const RegText *m = p->strings[p->enum_members[e->first_member + e->nmembers - 1]];
      json_string(out, m->s, m->len, esc);
    } else {
      g_string_append(out, "\"\"");
    }
    break;
  case REG_TK_LIST:
    g_string_append_c(out, '[');
    schema_value(p, t->arg, out, depth + 1, esc);
    g_string_append_c(out, ']');
    break;
  case REG_TK_RECORD: {
    g_string_append_c(out, '{');
    const RegRecord *r = t->arg < p->nrecords ? &p->records[t->arg] : NULL;
    for (uint32_t i = 0; r && i < r->nfields; i++) {
      const RegField *f = reg_record_field(p, t->arg, i);
      const RegText *name = p->strings[f->name];
      if (i)
        g_string_append_c(out, ',');
      json_string(out, name->s, name->len, esc);
      g_string_append_c(out, ':');
      schema_value(p, f->type, out, depth + 1, esc);
    }
    g_string_append_c(out, '}');
    break;
  }
  case REG_TK_DUR:
  default:
    g_string_append(out, "null");
    break;
  }
}

void
fuzz_schema_portfolio(RegProgram *p, gboolean escape_all, GString *out)
{
  schema_value(p, p->input_type, out, 0, escape_all);
}

/* The spec's first example and one with several bevoegdheden and rejections. */
static const char *const SPEC_EXAMPLES[] = {
  "{\"teacher\": {\"id\": \"T900001\", \"name\": \"Anna de Vries\", "
  "\"school\": \"OSG Het Baken\"}, \"as_of\": \"2020-09-01\", "
  "\"registration\": {\"start\": \"2019-08-01\"}, \"bevoegdheden\": "
  "[{\"code\": \"vo-wiskunde\", \"sector\": \"vo\", \"herregistratie\": true, \"work\": "
  "[{\"date\": \"2020-07-31\", \"hours\": 700}]}], \"activities\": [{\"id\": \"A1\", \"type\": "
  "\"cursus\", \"domain\": \"vakinhoud\", \"date\": \"2020-03-14\", \"contact_hours\": 12, "
  "\"selfstudy_hours\": 4.5, \"validated\": true}]}",
  "{\"teacher\":{\"id\":\"T2\",\"consent_public_activities\":true},\"as_of\":\"2024-09-01\","
  "\"registration\":{\"start\":\"2016-02-29\"},\"bevoegdheden\":[{\"code\":\"vo-wiskunde\","
  "\"sector\":\"vo\",\"herregistratie\":true,\"work\":[{\"date\":\"2021-07-31\",\"hours\":"
  "700.5}]},{\"code\":\"mbo-zorg\",\"sector\":\"mbo\"}],\"voorportaal\":[{\"subject\":"
  "\"vo-natuurkunde\",\"since\":\"2022-08-01\",\"extended\":true}],\"activities\":[{\"id\":"
  "\"A1\",\"type\":\"zelfstudie\",\"domain\":\"vakinhoud\",\"date\":\"2021-03-14\","
  "\"contact_hours\":0,\"selfstudy_hours\":40,\"bevoegdheden\":[\"vo-wiskunde\"],"
  "\"validated\":true,\"evidence\":true,\"test_passed\":true,\"source\":"
  "\"vrijwillig_register\",\"title\":\"t\",\"provider\":\"p\"},{\"id\":\"A2\",\"type\":"
  "\"onbekend\",\"domain\":\"pedagogiek\",\"date\":\"2023-01-01\",\"contact_hours\":8}]}",
};

/* At most this many views: a mutated program may declare many. */
#define FIXED_MAX_VIEWS 4

void
fuzz_decide_fixed(RegProgram *p)
{
  RegEvaluator *ev = fuzz_evaluator(p);
  GString *shaped = g_string_new(NULL), *escaped = g_string_new(NULL);
  fuzz_schema_portfolio(p, FALSE, shaped);
  fuzz_schema_portfolio(p, TRUE, escaped);
  for (uint32_t v = 0; v < p->nviews && v < FIXED_MAX_VIEWS; v++) {
    FUZZ_CHECK(reg_evaluator_set_view(ev, reg_str(p, p->views[v].name), NULL),
               "view %u cannot be chosen by its name", v);
    fuzz_decide(ev, "{}", 2);
    fuzz_decide(ev, shaped->str, (gssize) shaped->len);
    fuzz_decide(ev, escaped->str, (gssize) escaped->len);
    for (guint i = 0; i < G_N_ELEMENTS(SPEC_EXAMPLES); i++)
      fuzz_decide(ev, SPEC_EXAMPLES[i], -1);
  }
  /* explanations walk the trace of every rule call */
  reg_evaluator_set_view(ev, reg_str(p, p->views[p->default_view].name), NULL);
  reg_evaluator_set_explain_style(ev, REG_EXPLAIN_TRACE);
  fuzz_decide(ev, shaped->str, (gssize) shaped->len);
  fuzz_decide(ev, SPEC_EXAMPLES[1], -1);
  reg_evaluator_set_explain_style(ev, REG_EXPLAIN_TEXTS);
  fuzz_decide(ev, shaped->str, (gssize) shaped->len);
  fuzz_decide(ev, SPEC_EXAMPLES[1], -1);
  reg_evaluator_set_explain_style(ev, REG_EXPLAIN_NONE);

  /* a portfolio built through the host API, with nothing set */
  RegInput *in = reg_input_new(p);
  g_free(reg_input_to_json(in));
  GError *err = NULL;
  if (!reg_evaluator_decide_input(ev, in, NULL, &err)) {
    FUZZ_CHECK(err != NULL && err->domain == REG_EVAL_ERROR, "decide_input failed without error");
    g_clear_error(&err);
  }
  reg_input_free(in);

  g_string_free(shaped, TRUE);
  g_string_free(escaped, TRUE);
  reg_evaluator_free(ev);
}
