/* test-threads.c: one program shared by many threads, each with its own evaluator, deciding the same as one thread. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libreg/libreg.h"
#include "batch-private.h"

#define N_THREADS 8
#define N_BUILT 240 /* portfolios built through the API from a seeded generator */
#define N_COPIES 12 /* copies of each example, with other teacher ids */

static RegProgram *program;

/* The work: JSON lines and built inputs, with what one thread decided for each. */
static GPtrArray *lines;      /* char*: portfolios as JSON */
static GPtrArray *built;      /* RegInput*: shared read-only by every thread */
static GPtrArray *want_lines; /* char*: decision line or "error <code>: <message>" */
static GPtrArray *want_built; /* char*: decision line, then the decision snapshot's JSON */
static GPtrArray *decisions;  /* RegDecision*: snapshots every thread reads at once */
static guint rounds;

static char *
source_path(const char *rel)
{
  const char *src = g_getenv("SRCDIR");
  return g_build_filename(src ? src : ".", rel, NULL);
}

/* ---- The generator: random portfolios in the shipped schema, through the builder ---- */

static const char *codes[] = { "vo-wiskunde", "vo-engels", "vo-biologie", "po-groepsleerkracht",
                               "mbo-zorg", "so-speciaal-onderwijs" };
static const char *sectors[] = { "vo", "vo", "vo", "po", "mbo", "so" };
static const char *types[] = { "opleiding", "cursus", "studiedag", "conferentie", "binnen_school",
                               "buiten_school", "zelfstudie", "zeilen" };
static const char *domains[] = { "vakinhoud", "vakdidactiek", "pedagogiek", "algemeen",
                                 "schoolontwikkeling", "beroepsgroep", "overig" };

static void
set_date_days(RegInput *in, const char *path, int base_year, int days)
{
  g_autoptr(GDate) d = g_date_new_dmy(1, G_DATE_JANUARY, (GDateYear) base_year);
  if (days >= 0)
    g_date_add_days(d, (guint) days);
  else
    g_date_subtract_days(d, (guint) -days);
  char buf[16];
  g_snprintf(buf, sizeof buf, "%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d),
             g_date_get_day(d));
  g_autoptr(GError) e = NULL;
  if (!reg_input_set_date(in, path, buf, &e))
    g_error("%s", e->message);
}

#define OK(call)                                                                                \
  do {                                                                                          \
    g_autoptr(GError) e_ = NULL;                                                                \
    GError **error = &e_;                                                                       \
    if (!(call))                                                                                \
      g_error("%s: %s", #call, e_ ? e_->message : "?");                                         \
  } while (0)

static RegInput *
generate(GRand *r, guint n)
{
  RegInput *in = reg_input_new(program);
  char id[32], path[128];
  g_snprintf(id, sizeof id, "G%06u", n);
  OK(reg_input_set_text(in, "teacher.id", id, error));
  OK(reg_input_set_text(in, "teacher.name", "Noor Öztürk", error));
  if (g_rand_boolean(r))
    OK(reg_input_set_bool(in, "teacher.consent_public_activities", TRUE, error));
  int start = g_rand_int_range(r, 0, 6 * 365); /* days after 2015-01-01 */
  set_date_days(in, "registration.start", 2015, start);
  set_date_days(in, "as_of", 2015, start + g_rand_int_range(r, 0, 10 * 365));
  int nb = g_rand_int_range(r, 1, 4);
  for (int b = 0; b < nb; b++) {
    int c = g_rand_int_range(r, 0, G_N_ELEMENTS(codes));
    g_snprintf(path, sizeof path, "bevoegdheden[%d].code", b);
    OK(reg_input_set_text(in, path, codes[c], error));
    g_snprintf(path, sizeof path, "bevoegdheden[%d].sector", b);
    OK(reg_input_set_enum(in, path, sectors[c], error));
    g_snprintf(path, sizeof path, "bevoegdheden[%d].herregistratie", b);
    OK(reg_input_set_bool(in, path, g_rand_int_range(r, 0, 5) != 0, error));
    int nw = g_rand_int_range(r, 0, 6);
    for (int w = 0; w < nw; w++) {
      g_snprintf(path, sizeof path, "bevoegdheden[%d].work[%d].date", b, w);
      set_date_days(in, path, 2015, start + 365 * w + g_rand_int_range(r, 0, 365));
      g_snprintf(path, sizeof path, "bevoegdheden[%d].work[%d].hours", b, w);
      OK(reg_input_set_decimal_units(in, path, g_rand_int_range(r, 0, 120000), 2, error));
    }
  }
  if (g_rand_int_range(r, 0, 4) == 0) {
    OK(reg_input_set_text(in, "voorportaal[0].subject", "wiskunde", error));
    set_date_days(in, "voorportaal[0].since", 2015, start + g_rand_int_range(r, 0, 2000));
    OK(reg_input_set_bool(in, "voorportaal[0].extended", g_rand_boolean(r), error));
  } else {
    OK(reg_input_set_empty(in, "voorportaal", error));
  }
  int na = g_rand_int_range(r, 0, 16);
  for (int a = 0; a < na; a++) {
    char aid[16];
    g_snprintf(aid, sizeof aid, "A%d", a + 1);
    g_snprintf(path, sizeof path, "activities[%d].id", a);
    OK(reg_input_set_text(in, path, aid, error));
    g_snprintf(path, sizeof path, "activities[%d].type", a);
    OK(reg_input_set_enum(in, path, types[g_rand_int_range(r, 0, G_N_ELEMENTS(types))], error));
    g_snprintf(path, sizeof path, "activities[%d].domain", a);
    OK(reg_input_set_enum(in, path, domains[g_rand_int_range(r, 0, G_N_ELEMENTS(domains))],
                          error));
    g_snprintf(path, sizeof path, "activities[%d].date", a);
    set_date_days(in, path, 2015, start + g_rand_int_range(r, -200, 3000));
    g_snprintf(path, sizeof path, "activities[%d].contact_hours", a);
    OK(reg_input_set_decimal_units(in, path, g_rand_int_range(r, 0, 6000), 2, error));
    if (g_rand_boolean(r)) {
      g_snprintf(path, sizeof path, "activities[%d].selfstudy_hours", a);
      OK(reg_input_set_decimal_units(in, path, g_rand_int_range(r, 0, 2000), 1, error));
    }
    if (g_rand_int_range(r, 0, 3) == 0) {
      g_snprintf(path, sizeof path, "activities[%d].bevoegdheden[0]", a);
      OK(reg_input_set_text(in, path, codes[g_rand_int_range(r, 0, G_N_ELEMENTS(codes))], error));
    }
    static const char *flags[] = { "validated", "evidence", "test_passed" };
    for (size_t f = 0; f < G_N_ELEMENTS(flags); f++) {
      g_snprintf(path, sizeof path, "activities[%d].%s", a, flags[f]);
      OK(reg_input_set_bool(in, path, g_rand_int_range(r, 0, 3) != 0, error));
    }
    if (g_rand_int_range(r, 0, 5) == 0) {
      g_snprintf(path, sizeof path, "activities[%d].source", a);
      OK(reg_input_set_enum(in, path, "vrijwillig_register", error));
    }
  }
  return in;
}

/* ---- Deciding one item, as every thread does ---- */

static char *
decide_line(RegEvaluator *ev, const char *json)
{
  GString *out = g_string_new(NULL);
  GError *e = NULL;
  if (!reg_evaluator_decide_json(ev, json, -1, out, &e)) {
    g_string_printf(out, "error %d: %s", e->code, e->message);
    g_error_free(e);
  }
  return g_string_free(out, FALSE);
}

static char *
decide_built(RegEvaluator *ev, RegInput *in)
{
  GString *out = g_string_new(NULL);
  GError *e = NULL;
  if (!reg_evaluator_decide_input(ev, in, out, &e)) {
    g_string_printf(out, "error %d: %s", e->code, e->message);
    g_error_free(e);
    return g_string_free(out, FALSE);
  }
  RegDecision *d = reg_evaluator_get_decision(ev);
  char *j = reg_decision_to_json(d);
  g_string_append_c(out, '\n');
  g_string_append(out, j);
  g_free(j);
  reg_decision_unref(d);
  return g_string_free(out, FALSE);
}

/* What every thread reads from a shared decision. */
static char *
read_decision(RegDecision *d)
{
  GString *s = g_string_new(NULL);
  char *j = reg_decision_to_json(d);
  g_string_append(s, j);
  g_free(j);
  guint n = reg_decision_get_length(d, "bevoegdheden", NULL);
  for (guint i = 0; i < n; i++) {
    char path[64];
    g_snprintf(path, sizeof path, "bevoegdheden[%u].status", i);
    g_string_append_printf(s, "|%s", reg_decision_get_text(d, path, NULL));
    g_snprintf(path, sizeof path, "bevoegdheden[%u].progress.totaal", i);
    char *t = reg_decision_get_decimal(d, path, NULL);
    g_string_append_printf(s, "|%s", t ? t : "-");
    g_free(t);
  }
  return g_string_free(s, FALSE);
}

static void
build_corpus(void)
{
  g_autofree char *path = source_path("examples/portfolios.jsonl");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, NULL, &error))
    g_error("%s", error->message);
  lines = g_ptr_array_new_with_free_func(g_free);
  built = g_ptr_array_new_with_free_func((GDestroyNotify) reg_input_free);
  g_auto(GStrv) ex = g_strsplit(text, "\n", -1);
  for (guint k = 0; k < N_COPIES; k++)
    for (char **l = ex; *l; l++) {
      if (!**l)
        continue;
      char *needle = strstr(*l, "\"id\": \"T");
      if (k == 0 || !needle) {
        g_ptr_array_add(lines, g_strdup(*l));
        continue;
      }
      /* the same portfolio for another teacher: "T900001" becomes "K03-900001" */
      g_ptr_array_add(lines, g_strdup_printf("%.*s\"id\": \"K%02u-%s",
                                             (int) (needle - *l), *l, k,
                                             needle + strlen("\"id\": \"T")));
    }
  GRand *r = g_rand_new_with_seed(20240601);
  for (guint i = 0; i < N_BUILT; i++) {
    RegInput *in = generate(r, i);
    g_ptr_array_add(built, in);
    g_ptr_array_add(lines, reg_input_to_json(in)); /* and each as JSON too */
  }
  g_rand_free(r);

  /* one thread's answers */
  RegEvaluator *ev = reg_evaluator_new(program);
  want_lines = g_ptr_array_new_with_free_func(g_free);
  want_built = g_ptr_array_new_with_free_func(g_free);
  decisions = g_ptr_array_new_with_free_func((GDestroyNotify) reg_decision_unref);
  guint ok = 0;
  for (guint i = 0; i < lines->len; i++) {
    char *w = decide_line(ev, lines->pdata[i]);
    ok += w[0] == '{';
    g_ptr_array_add(want_lines, w);
  }
  for (guint i = 0; i < built->len; i++) {
    g_ptr_array_add(want_built, decide_built(ev, built->pdata[i]));
    RegDecision *d = reg_evaluator_get_decision(ev);
    if (d)
      g_ptr_array_add(decisions, d);
  }
  reg_evaluator_free(ev);
  const char *dump = g_getenv("TEST_THREADS_DUMP"); /* to look at the corpus and its decisions */
  if (dump) {
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < lines->len; i++)
      g_string_append_printf(all, "%s\n%s\n", (char *) lines->pdata[i],
                             (char *) want_lines->pdata[i]);
    g_file_set_contents(dump, all->str, (gssize) all->len, NULL);
    g_string_free(all, TRUE);
  }
  if (ok < lines->len / 2)
    g_error("only %u of %u lines decided", ok, lines->len);
  const char *env = g_getenv("TEST_THREADS_ROUNDS");
  rounds = env ? (guint) atoi(env) : 6;
}

typedef struct {
  guint id;
  gint mismatches;
  guint decided;
  char *first_bad;
} Worker;

static gpointer
work(gpointer data)
{
  Worker *w = data;
  RegEvaluator *ev = reg_evaluator_new(program); /* takes a program reference in this thread */
  guint nl = lines->len, nb = built->len, nd = decisions->len;
  for (guint round = 0; round < rounds; round++) {
    /* every thread walks the items in its own order */
    guint step = 2 * w->id + 1, off = w->id * 37 + round * 11;
    for (guint k = 0; k < nl + nb; k++) {
      guint i = (off + k * step) % (nl + nb);
      char *got;
      const char *want;
      if (i < nl) {
        got = decide_line(ev, lines->pdata[i]);
        want = want_lines->pdata[i];
      } else {
        got = decide_built(ev, built->pdata[i - nl]);
        want = want_built->pdata[i - nl];
      }
      if (strcmp(got, want) != 0) {
        w->mismatches++;
        if (!w->first_bad)
          w->first_bad = g_strdup_printf("item %u:\n got  %s\n want %s", i, got, want);
      }
      w->decided++;
      g_free(got);
      /* and a shared decision, read and referenced from every thread at once */
      if (nd) {
        RegDecision *d = reg_decision_ref(decisions->pdata[(i + w->id) % nd]);
        char *a = read_decision(d);
        char *b = read_decision(d);
        if (strcmp(a, b) != 0)
          w->mismatches++;
        g_free(a);
        g_free(b);
        reg_decision_unref(d);
      }
    }
  }
  reg_evaluator_free(ev);
  return NULL;
}

START_TEST(threads_decide_as_one)
{
  Worker workers[N_THREADS] = { 0 };
  GThread *threads[N_THREADS];
  for (guint t = 0; t < N_THREADS; t++) {
    workers[t].id = t;
    threads[t] = g_thread_new("decide", work, &workers[t]);
  }
  guint decided = 0;
  for (guint t = 0; t < N_THREADS; t++) {
    g_thread_join(threads[t]);
    ck_assert_msg(workers[t].mismatches == 0, "thread %u: %d mismatches; %s", t,
                  workers[t].mismatches, workers[t].first_bad);
    decided += workers[t].decided;
  }
  ck_assert_uint_eq(decided, N_THREADS * rounds * (lines->len + built->len));
}
END_TEST

/* The test lines repeated to at least @size bytes, and what one job decides of them. */
static GString *
batch_data(gsize size, GString **one, guint64 *errors_one, gsize *n1)
{
  GString *data = g_string_new(NULL);
  while (data->len < size)
    for (guint i = 0; i < lines->len; i++) {
      g_string_append(data, lines->pdata[i]);
      g_string_append_c(data, '\n');
    }
  *one = g_string_new(NULL);
  *errors_one = 0;
  RegBatch *b1 = reg_batch_new(program, 1);
  *n1 = reg_batch_decide(b1, data->str, data->len, 1, *one, errors_one);
  reg_batch_free(b1);
  ck_assert_uint_gt(*errors_one, 0);
  return data;
}

/* A batch of N jobs writes the same bytes as a batch of one. */
START_TEST(batch_jobs_identical)
{
  GString *one;
  guint64 errors_one;
  gsize n1;
  GString *data = batch_data(400000, &one, &errors_one, &n1);
  for (guint jobs = 2; jobs <= N_THREADS; jobs *= 2) {
    for (int rep = 0; rep < 2; rep++) {
      RegBatch *b = reg_batch_new(program, jobs);
      GString *out = g_string_new(NULL);
      guint64 errors = 0;
      gsize n = reg_batch_decide(b, data->str, data->len, 1, out, &errors);
      reg_batch_free(b);
      ck_assert_uint_eq(n, n1);
      ck_assert_uint_eq(errors, errors_one);
      ck_assert_uint_eq(out->len, one->len);
      ck_assert_msg(memcmp(out->str, one->str, one->len) == 0, "%u jobs differ", jobs);
      g_string_free(out, TRUE);
    }
  }
  g_string_free(one, TRUE);
  g_string_free(data, TRUE);
}
END_TEST

/* Buffers queued ahead (reg_batch_submit) come back in order, with the bytes, line numbers
 * and counts of one job deciding them all at once; the batch's threads serve many. */
START_TEST(batch_tickets_in_order)
{
  GString *one;
  guint64 errors_one;
  gsize n1;
  GString *data = batch_data(300000, &one, &errors_one, &n1);

  for (guint jobs = 1; jobs <= 3; jobs++) {
    RegBatch *b = reg_batch_new(program, jobs);
    for (int round = 0; round < 2; round++) {
      /* cut at line ends into buffers of uneven sizes, one of them empty */
      enum { NBUF = 6 };
      const size_t sizes[NBUF] = { 70000, 0, 1000, 150000, 40000, (size_t) -1 };
      RegBatchTicket *tickets[NBUF];
      size_t pos = 0;
      uint64_t line = 1, lines_total = 0;
      for (int i = 0; i < NBUF; i++) {
        size_t end = sizes[i] == (size_t) -1 || pos + sizes[i] >= data->len ? data->len : pos + sizes[i];
        if (end < data->len && end > pos) {
          const char *nl = memchr(data->str + end, '\n', data->len - end);
          end = nl ? (size_t) (nl - data->str) + 1 : data->len;
        }
        uint64_t n = 0;
        tickets[i] = reg_batch_submit(b, data->str + pos, end - pos, line, &n);
        line += n;
        lines_total += n;
        pos = end;
      }
      ck_assert_uint_eq(pos, data->len);
      ck_assert_uint_eq(lines_total, n1);
      RegBuf out;
      reg_buf_init(&out);
      RegBatchCounts counts = { 0, 0 };
      for (int i = 0; i < NBUF; i++)
        reg_batch_take(b, tickets[i], &out, &counts);
      ck_assert_uint_eq(counts.lines, n1);
      ck_assert_uint_eq(counts.errors, errors_one);
      ck_assert_uint_eq(out.len, one->len);
      ck_assert_msg(memcmp(out.data, one->str, one->len) == 0, "%u jobs, round %d differ", jobs,
                    round);
      reg_buf_clear(&out);
    }
    reg_batch_free(b);
  }
  g_string_free(one, TRUE);
  g_string_free(data, TRUE);
}
END_TEST

/* Programs loaded and dropped by many threads while others decide with them. */
static gpointer
load_and_decide(gpointer data)
{
  GBytes *bytes = data;
  for (int i = 0; i < 4; i++) {
    GError *e = NULL;
    RegProgram *p = reg_program_new_from_bytes(bytes, &e);
    if (!p)
      return g_strdup(e->message);
    RegEvaluator *ev = reg_evaluator_new(p);
    reg_program_unref(p); /* the evaluator keeps it */
    char *got = decide_built(ev, built->pdata[i]); /* an input of an equal program */
    gboolean same = strcmp(got, want_built->pdata[i]) == 0;
    g_free(got);
    reg_evaluator_free(ev);
    if (!same)
      return g_strdup("a loaded program decided differently");
  }
  return NULL;
}

START_TEST(programs_loaded_in_threads)
{
  GBytes *bytes = reg_program_get_bytes(program);
  GThread *threads[N_THREADS];
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new("load", load_and_decide, bytes);
  for (guint t = 0; t < N_THREADS; t++) {
    char *err = g_thread_join(threads[t]);
    ck_assert_msg(err == NULL, "%s", err);
  }
  g_bytes_unref(bytes);
}
END_TEST

int
main(void)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  g_autofree char *rules = source_path("rules");
  g_autoptr(GError) error = NULL;
  if (!reg_compiler_add_path(c, rules, &error))
    g_error("%s", error->message);
  program = reg_compiler_compile(c, &error);
  if (!program)
    g_error("%s", error->message);
  build_corpus();

  Suite *s = suite_create("threads");
  TCase *tc = tcase_create("threads");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, threads_decide_as_one);
  tcase_add_test(tc, batch_jobs_identical);
  tcase_add_test(tc, batch_tickets_in_order);
  tcase_add_test(tc, programs_loaded_in_threads);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);

  g_ptr_array_unref(decisions);
  g_ptr_array_unref(want_built);
  g_ptr_array_unref(want_lines);
  g_ptr_array_unref(built);
  g_ptr_array_unref(lines);
  reg_program_unref(program);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
