/* main.c: a small register front end that decides portfolios through libreg and prints a table. */
/*
 * usage: c-host CRITERIA [PORTFOLIOS.jsonl]
 *
 * CRITERIA is a directory of criteria sources (rules/), one .regel file, or a
 * compiled criteria file (`regel compile`). Reads one portfolio (a JSON
 * object) per line from PORTFOLIOS.jsonl, or from standard input when it is
 * "-"; without it, decides one portfolio built in code (the builder API).
 *
 * The engine knows nothing of teachers; this host does: it reads the
 * register's output fields (bevoegdheden, status, term, ...) by path.
 * Exit status: 0, 1 when some portfolio had an error, 2 for bad criteria or usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <libreg/libreg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static RegProgram *
load_criteria(const char *path)
{
  g_autoptr(GError) error = NULL;
  RegProgram *program;
  if (g_file_test(path, G_FILE_TEST_IS_DIR) || g_str_has_suffix(path, ".regel")) {
    g_autoptr(RegCompiler) compiler = reg_compiler_new();
    if (!reg_compiler_add_path(compiler, path, &error)) {
      fprintf(stderr, "c-host: %s\n", error->message);
      return NULL;
    }
    program = reg_compiler_compile(compiler, &error);
    if (!program) {
      g_autofree char *diagnostics = reg_compiler_format_diagnostics(compiler);
      fprintf(stderr, "%sc-host: %s\n", diagnostics, error->message);
    }
  } else {
    program = reg_program_new_from_file(path, &error);
    if (!program)
      fprintf(stderr, "c-host: %s: %s\n", path, error->message);
  }
  return program;
}

static void
row(const char *line, const char *teacher, const char *what, const char *status,
    const char *detail)
{
  if (*detail)
    printf("%-5s %-11s %-26s %-24s %s\n", line, teacher, what, status, detail);
  else
    printf("%-5s %-11s %-26s %s\n", line, teacher, what, status);
}

/* One table row per bevoegdheid and per voorportaal place of a decision. */
static void
print_decision(const char *line, RegDecision *d)
{
  const char *teacher = reg_decision_get_text(d, "teacher", NULL);
  guint n = reg_decision_get_length(d, "bevoegdheden", NULL);
  for (guint i = 0; i < n; i++) {
    char path[96];
    GString *detail = g_string_new(NULL);
#define P(fmt) (g_snprintf(path, sizeof path, "bevoegdheden[%u]." fmt, i), path)
    if (reg_decision_has(d, P("term"), NULL)) {
      g_autofree char *end = reg_decision_get_date(d, P("term.end"), NULL);
      g_autofree char *total = reg_decision_get_decimal(d, P("progress.totaal"), NULL);
      g_string_append_printf(detail, "term ends %s, %s hours", end, total);
    } else {
      g_string_append(detail, "no herregistratie");
    }
    if (reg_decision_has(d, P("previous.consequence"), NULL))
      g_string_append_printf(detail, "; previous term: %s (%s%s)",
                             reg_decision_get_text(d, P("previous.outcome"), NULL),
                             reg_decision_get_text(d, P("previous.consequence"), NULL),
                             reg_decision_get_bool(d, P("previous.lifted"), NULL) ? ", lifted"
                                                                                 : "");
    row(line, teacher, reg_decision_get_text(d, P("code"), NULL),
        reg_decision_get_text(d, P("status"), NULL), detail->str);
#undef P
    g_string_free(detail, TRUE);
  }
  n = reg_decision_get_length(d, "voorportaal", NULL);
  for (guint i = 0; i < n; i++) {
    char path[64], what[96];
    g_snprintf(path, sizeof path, "voorportaal[%u].subject", i);
    g_snprintf(what, sizeof what, "voorportaal %s", reg_decision_get_text(d, path, NULL));
    g_snprintf(path, sizeof path, "voorportaal[%u].deadline", i);
    g_autofree char *deadline = reg_decision_get_date(d, path, NULL);
    g_autofree char *detail = g_strdup_printf("deadline %s", deadline);
    g_snprintf(path, sizeof path, "voorportaal[%u].status", i);
    row(line, teacher, what, reg_decision_get_text(d, path, NULL), detail);
  }
  guint rejected = reg_decision_get_length(d, "rejected", NULL);
  if (rejected) {
    g_autofree char *count = g_strdup_printf("%u activit%s", rejected, rejected == 1 ? "y" : "ies");
    row(line, teacher, "afgewezen", count, "");
  }
}

/* The builder: a portfolio set field by field, without JSON. */
static RegInput *
built_portfolio(RegProgram *program, GError **error)
{
  g_autoptr(RegInput) in = reg_input_new(program);
  if (!reg_input_set_text(in, "teacher.id", "T000042", error) ||
      !reg_input_set_date(in, "as_of", "2021-06-01", error) ||
      !reg_input_set_date(in, "registration.start", "2019-08-01", error) ||
      !reg_input_set_text(in, "bevoegdheden[0].code", "vo-wiskunde", error) ||
      !reg_input_set_enum(in, "bevoegdheden[0].sector", "vo", error) ||
      !reg_input_set_bool(in, "bevoegdheden[0].herregistratie", TRUE, error) ||
      !reg_input_set_date(in, "bevoegdheden[0].work[0].date", "2020-07-31", error) ||
      !reg_input_set_int(in, "bevoegdheden[0].work[0].hours", 700, error) ||
      !reg_input_set_text(in, "activities[0].id", "A1", error) ||
      !reg_input_set_enum(in, "activities[0].type", "cursus", error) ||
      !reg_input_set_enum(in, "activities[0].domain", "vakinhoud", error) ||
      !reg_input_set_date(in, "activities[0].date", "2020-03-14", error) ||
      !reg_input_set_decimal(in, "activities[0].contact_hours", "12.5", error) ||
      !reg_input_set_bool(in, "activities[0].validated", TRUE, error))
    return NULL;
  return g_steal_pointer(&in);
}

int
main(int argc, char **argv)
{
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: c-host CRITERIA [PORTFOLIOS.jsonl|-]\n");
    return 2;
  }
  g_autoptr(RegProgram) program = load_criteria(argv[1]);
  if (!program)
    return 2;
  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  row("line", "leraar", "bevoegdheid", "status", "");
  int status = 0;

  if (argc == 2) {
    g_autoptr(GError) error = NULL;
    g_autoptr(RegInput) in = built_portfolio(program, &error);
    if (!in || !reg_evaluator_decide_input(ev, in, NULL, &error)) {
      fprintf(stderr, "c-host: %s\n", error->message);
      return 1;
    }
    g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
    print_decision("-", d);
    return 0;
  }

  FILE *f = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
  if (!f) {
    perror(argv[2]);
    return 2;
  }
  char *buf = NULL;
  size_t cap = 0;
  ssize_t len;
  unsigned long lineno = 0;
  GString *out = g_string_new(NULL);
  while ((len = getline(&buf, &cap, f)) >= 0) {
    lineno++;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
      len--;
    if (len == 0)
      continue;
    char line[24];
    g_snprintf(line, sizeof line, "%lu", lineno);
    g_autoptr(GError) error = NULL;
    g_string_truncate(out, 0);
    if (!reg_evaluator_decide_json(ev, buf, len, out, &error)) {
      const char *key = reg_evaluator_get_key(ev);
      g_autofree char *msg = g_strdup_printf("ERROR: %s", error->message);
      row(line, key ? key : "?", "-", msg, "");
      status = 1;
      continue;
    }
    g_autoptr(RegDecision) d = reg_evaluator_get_decision(ev);
    print_decision(line, d);
  }
  free(buf);
  g_string_free(out, TRUE);
  if (f != stdin)
    fclose(f);
  return status;
}
