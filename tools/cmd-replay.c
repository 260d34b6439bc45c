/* cmd-replay.c: `regel replay`: decides recorded decisions again and reports every difference. */
#include <stdarg.h>
#include <string.h>

#include "jsondiff.h"
#include "regel.h"
#include "replay.h"

typedef struct {
  const char *name; /* of DECISIONS */
  const char *as_of;
  const char *sha256; /* of the criteria given */
  RegelRedecider *redecider;
  RegelInputs *inputs;
  guint64 findings; /* lines printed about differences */
} Replay;

static int
usage(FILE *out, int code)
{
  fprintf(out,
          "usage: regel replay --rules R --input FILE [--input FILE...] [--as-of DATE]\n"
          "                    [--view NAME] [--public] [--explain[=leraar]] [--partial]\n"
          "                    DECISIONS\n"
          "  Decides every line of DECISIONS (what `regel eval` printed; - for standard\n"
          "  input) again: a decision from the input line with its input_sha256, as of\n"
          "  its recorded as_of, and an error line from the input line it names, with\n"
          "  the criteria R; then compares byte for byte. Reports every difference: a\n"
          "  decision under other criteria, a portfolio that changed or is missing, each\n"
          "  field that differs (recorded and replayed), and input lines without a\n"
          "  decision. --as-of, --view, --public and --explain are those `regel eval`\n"
          "  was given (--as-of counts for portfolios without their own as_of).\n"
          "  --partial: DECISIONS is a selection; input lines without one are no difference.\n"
          "  Exit 0 when every decision is reproduced, 1 when anything differs, 2 on usage.\n");
  return code;
}

/* Prints one finding about decision line @k. */
G_GNUC_PRINTF(4, 5)
static void
say(Replay *rp, guint64 k, const char *teacher, const char *fmt, ...)
{
  va_list ap;
  printf("%s:%" G_GUINT64_FORMAT ": ", rp->name, k);
  if (teacher)
    printf("teacher %s: ", teacher);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  rp->findings++;
}

static const char *
where(Replay *rp, guint64 line, char buf[], gsize size)
{
  guint64 fl;
  const char *file = regel_inputs_locate(rp->inputs, line, &fl);
  g_snprintf(buf, size, "%s:%" G_GUINT64_FORMAT, file, fl);
  return buf;
}

/* An error line `regel eval` writes itself for a line over --max-line: reproduced when still so. */
static gboolean
is_long_line_error(const char *rec, gsize rlen, guint64 line, gsize input_len)
{
  g_autofree char *error = regel_json_get_string(rec, rlen, "error");
  guint64 max;
  if (!error || sscanf(error, "line longer than %" G_GUINT64_FORMAT " bytes", &max) != 1)
    return FALSE;
  g_autofree char *want = g_strdup_printf(
    "{\"line\":%" G_GUINT64_FORMAT ",\"error\":\"line longer than %" G_GUINT64_FORMAT " bytes\"}",
    line, max);
  return input_len > max && strlen(want) == rlen && memcmp(want, rec, rlen) == 0;
}

static gboolean
replay_error_line(Replay *rp, guint64 k, const char *teacher, const char *rec, gsize rlen)
{
  guint64 n;
  const char *in;
  gsize ilen;
  char buf[512];
  if (!regel_json_get_uint(rec, rlen, "line", &n)) {
    say(rp, k, teacher, "an error line without its line number: cannot be replayed");
    return FALSE;
  }
  if (!regel_inputs_get(rp->inputs, n, &in, &ilen)) {
    say(rp, k, teacher, "portfolio missing: error line for input line %" G_GUINT64_FORMAT
        ", but the input has %" G_GUINT64_FORMAT " lines", n, regel_inputs_get_n_lines(rp->inputs));
    return FALSE;
  }
  regel_inputs_mark_used(rp->inputs, n);
  if (is_long_line_error(rec, rlen, n, ilen))
    return TRUE;
  g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func(g_free);
  if (regel_redecide(rp->redecider, in, ilen, rp->as_of, n, rec, rlen, diffs) == 0)
    return TRUE;
  for (guint i = 0; i < diffs->len; i++)
    say(rp, k, teacher, "error line of input line %s: %s", where(rp, n, buf, sizeof buf),
        (char *) diffs->pdata[i]);
  return FALSE;
}

/* Decision line @k, which has no input line with its input_sha256. */
static void
report_changed(Replay *rp, guint64 k, const char *teacher, const char *input_sha256,
               const char *as_of, const char *rec, gsize rlen)
{
  char buf[512];
  /* the same position in the input, or else a line of the same teacher */
  guint64 cand = 0;
  const char *in;
  gsize ilen;
  if (regel_inputs_get(rp->inputs, k, &in, &ilen) && !regel_inputs_is_used(rp->inputs, k)) {
    g_autofree char *id = regel_json_get_string(in, ilen, "teacher.id");
    if (!teacher || !id || strcmp(id, teacher) == 0)
      cand = k;
  }
  if (!cand && teacher) {
    cand = regel_inputs_find_teacher(rp->inputs, teacher);
    if (cand && regel_inputs_is_used(rp->inputs, cand))
      cand = 0;
  }
  if (!cand) {
    say(rp, k, teacher, "portfolio missing: no input line has input_sha256 %s (the portfolio was "
        "changed or removed)", input_sha256);
    return;
  }
  regel_inputs_get(rp->inputs, cand, &in, &ilen);
  regel_inputs_mark_used(rp->inputs, cand);
  say(rp, k, teacher, "portfolio changed: no input line has input_sha256 %s; its portfolio at %s "
      "has input_sha256 %s", input_sha256, where(rp, cand, buf, sizeof buf),
      regel_inputs_get_sha256(rp->inputs, cand));
  g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func(g_free);
  regel_redecide(rp->redecider, in, ilen, as_of, cand, rec, rlen, diffs);
  guint shown = 0;
  for (guint i = 0; i < diffs->len; i++) {
    const char *d = diffs->pdata[i];
    if (g_str_has_prefix(d, "input_sha256:"))
      continue;
    shown++;
    say(rp, k, teacher, "decided from the changed portfolio: %s", d);
  }
  if (shown == 0)
    say(rp, k, teacher, "decided from that portfolio, the decision is the same but for its "
        "input_sha256: the decision's input_sha256 may be what was edited");
}

/* Replays decision line @k; TRUE when it is reproduced byte for byte. */
static gboolean
replay_line(Replay *rp, guint64 k, const char *rec, gsize rlen)
{
  g_autofree char *teacher = regel_json_get_string(rec, rlen, "teacher");
  const char *v;
  gsize vlen;
  if (regel_json_member(rec, rlen, "error", &v, &vlen))
    return replay_error_line(rp, k, teacher, rec, rlen);
  g_autofree char *ruleset = regel_json_get_string(rec, rlen, "ruleset.sha256");
  g_autofree char *input_sha256 = regel_json_get_string(rec, rlen, "input_sha256");
  if (!teacher && !regel_json_member(rec, rlen, "ruleset", &v, &vlen)) {
    say(rp, k, NULL, "not a decision line");
    return FALSE;
  }
  if (!ruleset || !input_sha256) {
    say(rp, k, teacher, "no %s: a decision without its audit fields (decided with --public?) "
        "cannot be replayed", ruleset ? "input_sha256" : "ruleset.sha256");
    return FALSE;
  }
  guint64 n = regel_inputs_find(rp->inputs, input_sha256);
  if (strcmp(ruleset, rp->sha256) != 0) {
    say(rp, k, teacher, "decided under other criteria (recorded %s, given %s)", ruleset,
        rp->sha256);
    regel_inputs_mark_used(rp->inputs, n);
    return FALSE;
  }
  g_autofree char *as_of = regel_json_get_string(rec, rlen, "as_of");
  if (!as_of)
    as_of = g_strdup(rp->as_of);
  if (!n) {
    report_changed(rp, k, teacher, input_sha256, as_of, rec, rlen);
    return FALSE;
  }
  regel_inputs_mark_used(rp->inputs, n);
  const char *in;
  gsize ilen;
  regel_inputs_get(rp->inputs, n, &in, &ilen);
  g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func(g_free);
  if (regel_redecide(rp->redecider, in, ilen, as_of, n, rec, rlen, diffs) == 0)
    return TRUE;
  for (guint i = 0; i < diffs->len; i++)
    say(rp, k, teacher, "%s", (char *) diffs->pdata[i]);
  return FALSE;
}

static char *
read_decisions(const char *path, gsize *len, GError **error)
{
  char *text = NULL;
  if (strcmp(path, "-") != 0)
    return g_file_get_contents(path, &text, len, error) ? text : NULL;
  GString *s = g_string_new(NULL);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
    g_string_append_len(s, buf, (gssize) n);
  *len = s->len;
  return g_string_free(s, FALSE);
}

int
regel_replay(int argc, char **argv)
{
  const char *rules = NULL, *view = NULL, *decisions = NULL;
  gboolean public_view = FALSE, partial = FALSE;
  RegExplainStyle explain = REG_EXPLAIN_NONE;
  Replay rp = { 0 };
  g_autoptr(GPtrArray) input_files = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define OPT(name) (strcmp(a, name) == 0 && i + 1 < argc && (val = argv[++i]) != NULL)
    if (strcmp(a, "--help") == 0)
      return usage(stdout, REGEL_OK);
    else if (OPT("--rules"))
      rules = val;
    else if (OPT("--input"))
      g_ptr_array_add(input_files, (gpointer) val);
    else if (OPT("--as-of"))
      rp.as_of = val;
    else if (OPT("--view"))
      view = val;
    else if (strcmp(a, "--public") == 0)
      public_view = TRUE;
    else if (strcmp(a, "--explain") == 0 || strcmp(a, "--explain=trace") == 0)
      explain = REG_EXPLAIN_TRACE;
    else if (strcmp(a, "--explain=leraar") == 0 || strcmp(a, "--explain=teacher") == 0)
      explain = REG_EXPLAIN_TEXTS;
    else if (strcmp(a, "--partial") == 0)
      partial = TRUE;
    else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "regel replay: unknown option %s\n", a);
      return usage(stderr, REGEL_USAGE);
    } else if (!decisions)
      decisions = a;
    else
      return usage(stderr, REGEL_USAGE);
#undef OPT
  }
  if (!rules || input_files->len == 0 || !decisions)
    return usage(stderr, REGEL_USAGE);

  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) program = regel_load_rules(rules, &error);
  if (!program) {
    fprintf(stderr, "regel replay: %s\n", error->message);
    return REGEL_USAGE;
  }
  g_autoptr(RegelRedecider) redecider =
    regel_redecider_new(program, view, public_view, explain, &error);
  g_autoptr(RegEvaluator) check_as_of = reg_evaluator_new(program);
  if (!redecider || (rp.as_of && !reg_evaluator_set_as_of(check_as_of, rp.as_of, &error))) {
    fprintf(stderr, "regel replay: %s\n", error->message);
    return REGEL_USAGE;
  }
  g_autoptr(RegelInputs) inputs = regel_inputs_new();
  for (guint i = 0; i < input_files->len; i++) {
    if (!regel_inputs_add_file(inputs, input_files->pdata[i], &error)) {
      fprintf(stderr, "regel replay: %s\n", error->message);
      return REGEL_USAGE;
    }
  }
  gsize len;
  g_autofree char *text = read_decisions(decisions, &len, &error);
  if (!text) {
    fprintf(stderr, "regel replay: %s\n", error->message);
    return REGEL_USAGE;
  }
  rp.name = decisions;
  rp.sha256 = reg_program_get_sha256(program);
  rp.redecider = redecider;
  rp.inputs = inputs;

  guint64 k = 0, identical = 0, differ = 0;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (gsize) (end - p));
    gsize l = nl ? (gsize) (nl - p) : (gsize) (end - p);
    k++;
    if (replay_line(&rp, k, p, l))
      identical++;
    else
      differ++;
    p = nl ? nl + 1 : end;
  }
  guint64 unmatched = 0;
  for (guint64 n = 1; !partial && n <= regel_inputs_get_n_lines(inputs); n++) {
    if (regel_inputs_is_used(inputs, n))
      continue;
    const char *in;
    gsize ilen;
    regel_inputs_get(inputs, n, &in, &ilen);
    g_autofree char *id = regel_json_get_string(in, ilen, "teacher.id");
    guint64 fl;
    const char *file = regel_inputs_locate(inputs, n, &fl);
    printf("%s:%" G_GUINT64_FORMAT ": %s%s%sno decision recorded for this portfolio\n", file, fl,
           id ? "teacher " : "", id ? id : "", id ? ": " : "");
    unmatched++;
  }
  printf("replay: %" G_GUINT64_FORMAT " decisions: %" G_GUINT64_FORMAT " identical, %"
         G_GUINT64_FORMAT " differ; %" G_GUINT64_FORMAT " input lines without a decision\n",
         k, identical, differ, unmatched);
  return differ || unmatched ? REGEL_FAIL : REGEL_OK;
}
