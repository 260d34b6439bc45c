/* test-mutate.c: mutated compiled criteria and mutated criteria sources never crash, hang or leak. */
#include <check.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder-private.h"
#include "json-private.h"
#include "libreg/libreg.h"

/*
 * Four campaigns, all deterministic (fixed seeds, fixed enumerations):
 *
 * (a) single-byte mutants of the compiled shipped criteria (every .regel file in rules).
 *     The plan, by where the byte lies in the file:
 *       - header and section directory: all 255 other values at every position;
 *       - code section: the opcode byte of every instruction takes every
 *         opcode number, 0x7f, 0x80 and 0xff; every other code byte takes
 *         SPREAD (b^0x01, b^0x02, b^0x10, b^0x80, b+1, b-1, 0x00, 0xff);
 *       - the other tables (meta, types, enums, records, fields, constants,
 *         functions, register types, rules, globals, outputs, requirements,
 *         conditions, the string lengths): SPREAD at every position;
 *       - string bytes, locations and the line table (they only name things):
 *         SPREAD at every 8th position.
 *     REG_MUTATE_LEVEL picks how much of the plan runs (numbering its mutants
 *     in file order): "full" all of it; "normal" (the default) all of the
 *     header and directory mutants, every 4th code mutant and every 7th of
 *     the rest; "quick" (the default under AddressSanitizer) every 23rd.
 * (b) random multi-byte mutants (bit flips, byte sets, interesting u32 values
 *     in the tables, inserts, deletes, splices within the file): 4000
 *     (quick 1000, full 40000).
 * (c) random mutants of the criteria sources fed to the compiler (byte
 *     changes, tokens, keywords and brackets inserted, deletions,
 *     truncations, duplicated and swapped lines, binary garbage, very long
 *     lines, deeply nested brackets, extreme numbers, indentation): 600
 *     (quick 150, full 10000). The compiler must not crash; every diagnostic
 *     must name a file, a line >= 1 and a column >= 1; a failed compilation
 *     has at least one; what compiles decides the example portfolios.
 * (d) explained: the single-byte mutants of plan (a) in the code, the
 *     condition sites, the rules and the strings (the teacher's texts), every
 *     32nd (quick: every 128th; full: all), decided with both kinds of
 *     explanation (the trace and the teacher's texts) and disassembled.
 *
 * A mutant of the compiled file must be rejected with REG_LOAD_ERROR or, when
 * accepted, decide every example portfolio (tests/data/spec-examples) within a
 * budget of 5 million instructions and a 32 MiB memory limit: a decision or an
 * evaluation error, valid JSON out, no crash, no hang (20 s per mutant).
 *
 * When something crashes or hangs, the mutant is named on stderr and its bytes
 * are written to test-mutate-<campaign>.bin in the working directory (or to
 * $REG_MUTATE_DUMP). Failures that do not crash are counted and the first 20
 * printed, so that one run shows them all.
 */

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#if SANITIZED
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

#define BUDGET 5000000
#define MEMORY_LIMIT ((gsize) 32 << 20)
#define MUTANT_SECONDS 20 /* a mutant taking longer than this is a hang */

/* ---- fixture: the shipped criteria, their compiled bytes, the example portfolios ---- */

typedef struct {
  char *name; /* "rules/x.regel" */
  char *text;
  gsize len;
} Source;

static Source *sources;
static guint nsources;
static guint8 *compiled;
static gsize compiled_len;
static char **portfolios; /* non-empty lines */
static guint nportfolios;

typedef struct {
  uint32_t off, len;
} Range;
static Range sec[REG_SEC__LAST + 1];
static uint32_t dir_end;

static const char *
srcdir(void)
{
  const char *s = g_getenv("SRCDIR");
  return s ? s : ".";
}

static uint32_t
get_u32(const guint8 *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static gint
cmp_source(gconstpointer a, gconstpointer b)
{
  return strcmp(((const Source *) a)->name, ((const Source *) b)->name);
}

static RegProgram *
compile_sources(const Source *src, guint n, RegCompiler **out_compiler)
{
  RegCompiler *c = reg_compiler_new();
  for (guint i = 0; i < n; i++)
    reg_compiler_add_source(c, src[i].name, src[i].text, (gssize) src[i].len);
  RegProgram *p = reg_compiler_compile(c, NULL);
  if (out_compiler)
    *out_compiler = c;
  else
    reg_compiler_free(c);
  return p;
}

static void
fixture_load(void)
{
  char *dir = g_build_filename(srcdir(), "rules", NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) {
    fprintf(stderr, "cannot open %s (set SRCDIR to the source root)\n", dir);
    exit(EXIT_FAILURE);
  }
  GArray *arr = g_array_new(FALSE, TRUE, sizeof(Source));
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(name, ".regel"))
      continue;
    Source s = { g_strdup_printf("rules/%s", name), NULL, 0 };
    char *path = g_build_filename(dir, name, NULL);
    if (!g_file_get_contents(path, &s.text, &s.len, NULL)) {
      fprintf(stderr, "cannot read %s\n", path);
      exit(EXIT_FAILURE);
    }
    g_free(path);
    g_array_append_val(arr, s);
  }
  g_dir_close(d);
  g_free(dir);
  g_array_sort(arr, cmp_source);
  nsources = arr->len;
  sources = (Source *) (void *) g_array_free(arr, FALSE);
  if (nsources == 0) {
    fprintf(stderr, "no rules/*.regel files\n");
    exit(EXIT_FAILURE);
  }

  RegCompiler *c = NULL;
  RegProgram *p = compile_sources(sources, nsources, &c);
  if (!p) {
    char *diag = reg_compiler_format_diagnostics(c);
    fprintf(stderr, "the shipped criteria do not compile:\n%s", diag);
    exit(EXIT_FAILURE);
  }
  reg_compiler_free(c);
  GBytes *b = reg_program_get_bytes(p);
  compiled = g_bytes_unref_to_data(b, &compiled_len);
  reg_program_unref(p);

  char *path = g_build_filename(srcdir(), "tests", "data", "spec-examples", "portfolios.jsonl", NULL);
  char *text;
  if (!g_file_get_contents(path, &text, NULL, NULL)) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(EXIT_FAILURE);
  }
  g_free(path);
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  GPtrArray *keep = g_ptr_array_new();
  for (char **l = lines; *l; l++)
    if (**l)
      g_ptr_array_add(keep, g_strdup(*l));
  g_strfreev(lines);
  nportfolios = keep->len;
  g_ptr_array_add(keep, NULL);
  portfolios = (char **) g_ptr_array_free(keep, FALSE);

  /* the section directory of the compiled file */
  uint32_t nsec = get_u32(compiled + 12);
  dir_end = 16 + 12 * nsec;
  for (uint32_t i = 0; i < nsec; i++) {
    const guint8 *e = compiled + 16 + 12 * i;
    uint32_t id = get_u32(e);
    if (id >= 1 && id <= REG_SEC__LAST)
      sec[id] = (Range){ get_u32(e + 4), get_u32(e + 8) };
  }
}

static void
fixture_free(void)
{
  for (guint i = 0; i < nsources; i++) {
    g_free(sources[i].name);
    g_free(sources[i].text);
  }
  g_free(sources);
  g_free(compiled);
  g_strfreev(portfolios);
}

/* ---- naming the mutant when something goes wrong ---- */

static const char *campaign = "mutant"; /* for the dump's file name */
static char current[256];           /* what is being tried, for the crash report */
static const guint8 *current_data; /* its bytes */
static gsize current_len;

static void
dump_current(void)
{
  static volatile sig_atomic_t dumped;
  if (dumped)
    return;
  dumped = 1;
  char name[96];
  const char *path = getenv("REG_MUTATE_DUMP");
  if (!path) {
    /* async-signal-safe: no printf */
    static const char pre[] = "test-mutate-", post[] = ".bin";
    size_t n = 0, k = strlen(campaign);
    if (k > sizeof name - sizeof pre - sizeof post)
      k = sizeof name - sizeof pre - sizeof post;
    memcpy(name, pre, sizeof pre - 1);
    n += sizeof pre - 1;
    memcpy(name + n, campaign, k);
    n += k;
    memcpy(name + n, post, sizeof post);
    path = name;
  }
  static const char pre[] = "\n*** test-mutate: failing mutant: ";
  ssize_t r = write(2, pre, sizeof pre - 1);
  r = write(2, current, strlen(current));
  static const char mid[] = "\n*** its bytes are written to ";
  r = write(2, mid, sizeof mid - 1);
  r = write(2, path, strlen(path));
  r = write(2, "\n", 1);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    if (current_data)
      r = write(fd, current_data, current_len);
    close(fd);
  }
  (void) r;
}

static void
on_fatal(int sig)
{
  dump_current();
  raise(sig); /* SA_RESETHAND: the default action now */
}

static void
on_alarm(int sig)
{
  static const char msg[] = "\n*** test-mutate: a mutant ran longer than the hang limit\n";
  ssize_t r = write(2, msg, sizeof msg - 1);
  (void) r;
  dump_current();
  _exit(3);
}

#if SANITIZED
static void
on_sanitizer_death(void)
{
  dump_current();
}
#endif

static void
on_signal(int sig, void (*handler)(int))
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void
install_handlers(void)
{
  /* an own stack, so that a stack overflow can still be reported */
  static char altstack[1 << 16];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  sigaltstack(&ss, NULL);
  on_signal(SIGALRM, on_alarm);
  on_signal(SIGABRT, on_fatal);
#if SANITIZED
  __sanitizer_set_death_callback(on_sanitizer_death);
#else
  on_signal(SIGSEGV, on_fatal);
  on_signal(SIGBUS, on_fatal);
  on_signal(SIGFPE, on_fatal);
  on_signal(SIGILL, on_fatal);
#endif
}

static void
begin_mutant(const guint8 *data, gsize len, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
begin_mutant(const guint8 *data, gsize len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_vsnprintf(current, sizeof current, fmt, ap);
  va_end(ap);
  current_data = data;
  current_len = len;
  alarm(MUTANT_SECONDS);
}

static void
end_mutant(void)
{
  alarm(0);
}

/* Under LeakSanitizer: a leak check every so often names the mutants that leaked. */
static void
leak_check(const char *what, guint64 from, guint64 to)
{
#if SANITIZED
  if (__lsan_do_recoverable_leak_check())
    ck_abort_msg("memory leaked by %s mutants %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, what,
                 from, to);
#else
  (void) what;
  (void) from;
  (void) to;
#endif
}

/* ---- failures: counted and the first ones shown, so that one run shows them all ---- */

static guint nfailures;
static char *first_failure;

static void
failure(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
failure(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (nfailures < 20)
    fprintf(stderr, "FAILED: %s: %s\n", current, msg);
  if (!first_failure)
    first_failure = g_strdup_printf("%s: %s", current, msg);
  nfailures++;
  g_free(msg);
}

#define EXPECT(cond, ...)                                                                  \
  do {                                                                                     \
    if (!(cond))                                                                           \
      failure(__VA_ARGS__);                                                                \
  } while (0)

static void
assert_no_failures(const char *what)
{
  ck_assert_msg(nfailures == 0, "%u %s failed; the first: %s", nfailures, what,
                first_failure ? first_failure : "");
}

/* ---- trying one compiled mutant ---- */

typedef struct {
  guint64 tried, format, verify, accepted, decided, eval_errors, data_errors;
} Stats;

static void
print_stats(const char *what, const Stats *s, gint64 t0)
{
  fprintf(stderr,
          "%s: %" G_GUINT64_FORMAT " mutants checked: %" G_GUINT64_FORMAT
          " rejected (%" G_GUINT64_FORMAT " format, %" G_GUINT64_FORMAT
          " verifier), %" G_GUINT64_FORMAT " accepted and run: %" G_GUINT64_FORMAT
          " decisions, %" G_GUINT64_FORMAT " evaluation errors, %" G_GUINT64_FORMAT
          " data errors (%.1f s)\n",
          what, s->tried, s->format + s->verify, s->format, s->verify, s->accepted, s->decided,
          s->eval_errors, s->data_errors, (double) (g_get_monotonic_time() - t0) / 1e6);
}

static void
run_program(RegProgram *p, RegExplainStyle explain, Stats *st)
{
  RegEvaluator *ev = reg_evaluator_new(p);
  reg_evaluator_set_budget(ev, BUDGET);
  reg_evaluator_set_memory_limit(ev, MEMORY_LIMIT);
  if (explain != REG_EXPLAIN_NONE)
    reg_evaluator_set_explain_style(ev, explain);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < nportfolios; i++) {
    g_string_truncate(out, 0);
    GError *err = NULL;
    if (reg_evaluator_decide_json(ev, portfolios[i], -1, out, &err)) {
      st->decided++;
      EXPECT(reg_json_validate(out->str, out->len, 1000) == REG_JSON_OK,
             "portfolio %u%s: the decision is not JSON: %.300s", i + 1,
             explain == REG_EXPLAIN_TRACE     ? " (explained)"
             : explain == REG_EXPLAIN_TEXTS ? " (explained for the teacher)"
                                              : "",
             out->str);
    } else {
      EXPECT(err != NULL && err->domain == REG_EVAL_ERROR,
             "portfolio %u: failed without an evaluation error", i + 1);
      if (!err)
        continue;
      if (err->code == REG_EVAL_ERROR_DATA)
        st->data_errors++;
      else
        st->eval_errors++;
      g_error_free(err);
    }
  }
  g_string_free(out, TRUE);
  reg_evaluator_free(ev);
}

static void
try_bytes(const guint8 *data, gsize len, bool explain, Stats *st)
{
  st->tried++;
  GBytes *b = g_bytes_new_static(data, len); /* the program keeps it only while it lives */
  GError *err = NULL;
  RegProgram *p = reg_program_new_from_bytes(b, &err);
  g_bytes_unref(b);
  if (!p) {
    EXPECT(err != NULL && err->domain == REG_LOAD_ERROR &&
             (err->code == REG_LOAD_ERROR_FORMAT || err->code == REG_LOAD_ERROR_VERIFY),
           "rejected without a load error");
    if (!err)
      return;
    if (err->code == REG_LOAD_ERROR_FORMAT)
      st->format++;
    else
      st->verify++;
    g_error_free(err);
    return;
  }
  st->accepted++;
  if (explain) {
    run_program(p, REG_EXPLAIN_TRACE, st);
    run_program(p, REG_EXPLAIN_TEXTS, st);
    g_free(reg_program_disassemble(p));
  } else {
    run_program(p, REG_EXPLAIN_NONE, st);
  }
  reg_program_unref(p);
}

/* ---- (a) single-byte mutants ---- */

static bool
in_range(uint32_t pos, int id)
{
  return pos >= sec[id].off && pos - sec[id].off < sec[id].len;
}

static int
level(void)
{
  const char *l = g_getenv("REG_MUTATE_LEVEL");
  if (l && strcmp(l, "full") == 0)
    return 2;
  if (l && strcmp(l, "quick") == 0)
    return 0;
  return SANITIZED ? 0 : 1;
}

/* The values position @pos takes (see the comment at the top); returns how many. */
static guint
values_at(uint32_t pos, guint8 orig, guint8 *vals)
{
  guint n = 0;
  if (pos < dir_end) {
    for (int v = 0; v < 256; v++)
      vals[n++] = (guint8) v;
  } else if (in_range(pos, REG_SEC_CODE) && (pos - sec[REG_SEC_CODE].off) % 8 == 0) {
    for (int v = 0; v <= REG_OP__COUNT; v++)
      vals[n++] = (guint8) v;
    vals[n++] = 0x7f;
    vals[n++] = 0x80;
    vals[n++] = 0xff;
  } else {
    bool low_value = in_range(pos, REG_SEC_LOCS) || in_range(pos, REG_SEC_INSN_LOCS) ||
                     (in_range(pos, REG_SEC_STRINGS) &&
                      pos - sec[REG_SEC_STRINGS].off >= 4 + 4 * get_u32(compiled + sec[REG_SEC_STRINGS].off));
    if (low_value && pos % 8 != 0)
      return 0;
    const guint8 spread[] = { orig ^ 0x01, orig ^ 0x02, orig ^ 0x10, orig ^ 0x80,
                              (guint8) (orig + 1), (guint8) (orig - 1), 0x00, 0xff };
    memcpy(vals, spread, sizeof spread);
    n = sizeof spread;
  }
  /* drop the original value and duplicates */
  guint k = 0;
  for (guint i = 0; i < n; i++) {
    bool dup = vals[i] == orig;
    for (guint j = 0; j < k && !dup; j++)
      dup = vals[j] == vals[i];
    if (!dup)
      vals[k++] = vals[i];
  }
  return k;
}

/* Whether single-byte mutant @index (at byte @pos) is in the sample of campaign (a) or (d). */
static bool
sampled(bool explained, guint64 index, uint32_t pos)
{
  int lvl = level();
  if (explained) {
    if (!in_range(pos, REG_SEC_CODE) && !in_range(pos, REG_SEC_CONDS) &&
        !in_range(pos, REG_SEC_RULES) && !in_range(pos, REG_SEC_STRINGS))
      return false;
    return lvl == 2 || index % (lvl == 1 ? 32 : 128) == 0;
  }
  if (lvl == 2)
    return true;
  if (lvl == 0)
    return index % 23 == 0;
  if (pos < dir_end)
    return true;
  return index % (in_range(pos, REG_SEC_CODE) ? 4 : 7) == 0;
}

static void
single_byte_campaign(bool explained)
{
  install_handlers();
  campaign = explained ? "explained" : "single-byte";
  gint64 t0 = g_get_monotonic_time();
  guint8 *buf = g_memdup2(compiled, compiled_len);
  Stats st = { 0 };
  guint64 index = 0, last_leak_check = 0;
  guint8 vals[256];
  double tsec[REG_SEC__LAST + 1] = { 0 };
  guint64 nsec_tried[REG_SEC__LAST + 1] = { 0 };
  for (uint32_t pos = 0; pos < compiled_len; pos++) {
    int region = 0;
    for (int id = 1; id <= REG_SEC__LAST; id++)
      if (in_range(pos, id))
        region = id;
    gint64 tp = g_get_monotonic_time();
    guint64 before = st.tried;
    guint n = values_at(pos, compiled[pos], vals);
    for (guint i = 0; i < n; i++, index++) {
      if (!sampled(explained, index, pos))
        continue;
      buf[pos] = vals[i];
      begin_mutant(buf, compiled_len,
                   "%s mutant #%" G_GUINT64_FORMAT ": byte %u 0x%02x -> 0x%02x", campaign, index,
                   pos, compiled[pos], vals[i]);
      try_bytes(buf, compiled_len, explained, &st);
      end_mutant();
    }
    buf[pos] = compiled[pos];
    tsec[region] += (double) (g_get_monotonic_time() - tp) / 1e6;
    nsec_tried[region] += st.tried - before;
    if (st.tried - last_leak_check >= 20000) {
      leak_check(campaign, last_leak_check, st.tried);
      last_leak_check = st.tried;
    }
  }
  leak_check(campaign, last_leak_check, st.tried);
  g_free(buf);
  char *what = g_strdup_printf("%s mutants (of %" G_GUINT64_FORMAT " in the plan, level %s)",
                               campaign, index, level() == 2 ? "full" : level() == 1 ? "normal" : "quick");
  print_stats(what, &st, t0);
  g_free(what);
  if (g_getenv("REG_MUTATE_VERBOSE"))
    for (int id = 0; id <= REG_SEC__LAST; id++)
      fprintf(stderr, "  section %d: %" G_GUINT64_FORMAT " mutants, %.2f s\n", id, nsec_tried[id],
              tsec[id]);
  assert_no_failures(campaign);
  ck_assert_uint_gt(st.tried, 100);
  ck_assert_uint_gt(st.accepted, 0);
}

START_TEST(single_byte_mutants)
{
  /* proves: every sampled one-byte change of the compiled criteria is rejected or runs safely */
  single_byte_campaign(false);
}
END_TEST

START_TEST(explained_mutants)
{
  /* proves: one-byte changes of code and condition sites also explain and disassemble safely */
  single_byte_campaign(true);
}
END_TEST

/* ---- deterministic random numbers ---- */

static uint64_t
rnd(uint64_t *s)
{
  /* splitmix64 */
  uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static uint32_t
rnd_below(uint64_t *s, uint32_t n)
{
  return n ? (uint32_t) (rnd(s) % n) : 0;
}

/* ---- (b) random multi-byte mutants of the compiled file ---- */

static void
put_u32(GByteArray *a, uint32_t pos, uint32_t v)
{
  if (pos + 4 > a->len)
    return;
  a->data[pos] = (guint8) v;
  a->data[pos + 1] = (guint8) (v >> 8);
  a->data[pos + 2] = (guint8) (v >> 16);
  a->data[pos + 3] = (guint8) (v >> 24);
}

static void
insert_bytes(GByteArray *a, uint32_t pos, const guint8 *data, uint32_t n)
{
  uint32_t old = a->len;
  g_byte_array_set_size(a, old + n);
  memmove(a->data + pos + n, a->data + pos, old - pos);
  memcpy(a->data + pos, data, n);
}

static void
mutate_binary(GByteArray *a, uint64_t *s)
{
  static const uint32_t interesting[] = { 0,          1,          2,          6,
                                          7,          0x7f,       0x80,       0xff,
                                          0xfffe,     0xffff,     0x10000,    0x7fffffff,
                                          0x80000000, 0xfffffffe, 0xffffffff, 64,
                                          65,         4096,       4097,       65535 };
  guint nops = 1 + rnd_below(s, 8);
  for (guint k = 0; k < nops; k++) {
    uint32_t len = a->len;
    switch (rnd_below(s, 8)) {
    case 0: /* flip a bit */
      if (len)
        a->data[rnd_below(s, len)] ^= (guint8) (1u << rnd_below(s, 8));
      break;
    case 1: /* set a byte */
      if (len)
        a->data[rnd_below(s, len)] = (guint8) rnd(s);
      break;
    case 2: /* an interesting u32 at an aligned place in a table */
    case 3: {
      int id = 1 + (int) rnd_below(s, REG_SEC__LAST);
      if (sec[id].len >= 4) {
        uint32_t pos = sec[id].off + 4 * rnd_below(s, sec[id].len / 4);
        uint32_t v = interesting[rnd_below(s, G_N_ELEMENTS(interesting))];
        if (rnd_below(s, 3) == 0)
          v = get_u32(a->data + pos) + (uint32_t) rnd_below(s, 5) - 2; /* off by a little */
        put_u32(a, pos, v);
      }
      break;
    }
    case 4: { /* insert random bytes */
      uint32_t pos = rnd_below(s, len + 1), n = 1 + rnd_below(s, 16);
      guint8 tmp[16];
      for (uint32_t i = 0; i < n; i++)
        tmp[i] = (guint8) rnd(s);
      insert_bytes(a, pos, tmp, n);
      break;
    }
    case 5: { /* delete a range */
      if (!len)
        break;
      uint32_t pos = rnd_below(s, len), n = 1 + rnd_below(s, 64);
      if (n > len - pos)
        n = len - pos;
      g_byte_array_remove_range(a, pos, n);
      break;
    }
    case 6: { /* splice: copy a chunk of the file over another place */
      if (len < 2)
        break;
      uint32_t from = rnd_below(s, len), to = rnd_below(s, len), n = 1 + rnd_below(s, 64);
      if (n > len - from)
        n = len - from;
      if (n > len - to)
        n = len - to;
      memmove(a->data + to, a->data + from, n);
      break;
    }
    default: { /* splice: insert a chunk of the file elsewhere */
      if (len < 2)
        break;
      uint32_t from = rnd_below(s, len), to = rnd_below(s, len + 1), n = 1 + rnd_below(s, 64);
      if (n > len - from)
        n = len - from;
      guint8 *tmp = g_memdup2(a->data + from, n);
      insert_bytes(a, to, tmp, n);
      g_free(tmp);
      break;
    }
    }
  }
}

START_TEST(random_binary_mutants)
{
  /* proves: random multi-byte damage to the compiled criteria is rejected or runs safely */
  install_handlers();
  campaign = "binary";
  gint64 t0 = g_get_monotonic_time();
  guint n = level() == 0 ? 1000 : level() == 1 ? 4000 : 40000;
  Stats st = { 0 };
  guint last = 0;
  for (guint i = 0; i < n; i++) {
    uint64_t seed = UINT64_C(0x5eed0000) + i, s = seed;
    GByteArray *a = g_byte_array_sized_new((guint) compiled_len + 64);
    g_byte_array_append(a, compiled, (guint) compiled_len);
    mutate_binary(a, &s);
    begin_mutant(a->data, a->len, "random binary mutant, seed 0x%" G_GINT64_MODIFIER "x", seed);
    try_bytes(a->data, a->len, false, &st);
    end_mutant();
    g_byte_array_unref(a);
    if (i + 1 - last >= 2000) {
      leak_check("random binary", last, i);
      last = i + 1;
    }
  }
  leak_check("random binary", last, n);
  print_stats("random binary mutants", &st, t0);
  assert_no_failures("random binary mutants");
  ck_assert_uint_eq(st.tried, n);
}
END_TEST

/* ---- (c) mutated criteria sources ---- */

static const char *const tokens[] = {
  "(", ")", "[", "]", "{", "}", ":", ",", ".", "\"", "'", "=", "+", "-", "*", "/", "<", ">",
  "<=", ">=", "!=", "<>", "\xe2\x89\xa0", "\xe2\x89\xa4", "\xe2\x89\xa5", "#", "\n", "\t", "    ",
  "\r\n", "0", "-1", "1.5", "0.0000001", "99999999999999999999", "2020-02-29", "2021-02-29",
  "0000-01-01", "\"x\"", "\"\"", "\"unterminated", "x", "a.b.c", "_", "\xc3\xa9", "\xff",
  "aantal", "alle", "als", "anders", "bron", "criteria", "dan", "datum", "decimalen", "duur",
  "eis", "en", "enige", "geheel", "geldt", "getal", "in", "invoer", "is", "keuzelijst", "leeg",
  "lijst", "maanden", "max", "min", "niet", "of", "onbekend", "onwaar", "op", "open",
  "optioneel", "peildatum", "record", "regel", "sleutel", "som", "standaard", "tekst",
  "uitvoer", "van", "vanaf", "verplicht", "versie", "voor", "waar", "waarheid", "waarvoor",
  "jaren", "weken", "dagen", "parameter", "eerste", "input", "output", "rule", "if", "then",
  "else", "for", "where", "sum", "count", "any", "all", "not", "and", "or",
};

static void
insert_str(GString *s, uint64_t *r, const char *what, gssize len)
{
  g_string_insert_len(s, rnd_below(r, (uint32_t) s->len + 1), what, len);
}

/* The start of line @k (0-based) of @s, or its end. */
static gsize
line_start(const GString *s, guint k)
{
  gsize pos = 0;
  for (guint i = 0; i < k && pos < s->len; i++) {
    const char *nl = memchr(s->str + pos, '\n', s->len - pos);
    if (!nl)
      return s->len;
    pos = (gsize) (nl - s->str) + 1;
  }
  return pos;
}

static guint
count_lines(const GString *s)
{
  guint n = 1;
  for (gsize i = 0; i < s->len; i++)
    n += s->str[i] == '\n';
  return n;
}

static void
mutate_source(GString *s, uint64_t *r)
{
  guint nops = 1 + rnd_below(r, 4);
  for (guint k = 0; k < nops; k++) {
    uint32_t len = (uint32_t) s->len;
    switch (rnd_below(r, 12)) {
    case 0: /* a random byte */
      if (len)
        s->str[rnd_below(r, len)] = (char) rnd(r);
      break;
    case 1:
    case 2: { /* a token, a keyword or a bracket */
      const char *t = tokens[rnd_below(r, G_N_ELEMENTS(tokens))];
      insert_str(s, r, t, -1);
      break;
    }
    case 3: { /* delete a range */
      if (!len)
        break;
      uint32_t pos = rnd_below(r, len), n = 1 + rnd_below(r, rnd_below(r, 2) ? 8 : 200);
      g_string_erase(s, pos, n > len - pos ? len - pos : n);
      break;
    }
    case 4: /* truncate */
      g_string_truncate(s, rnd_below(r, len + 1));
      break;
    case 5: { /* duplicate a line */
      guint nl = count_lines(s), k2 = rnd_below(r, nl);
      gsize a = line_start(s, k2), b = line_start(s, k2 + 1);
      char *line = g_strndup(s->str + a, b - a);
      g_string_insert_len(s, (gssize) line_start(s, rnd_below(r, nl + 1)), line, (gssize) (b - a));
      g_free(line);
      break;
    }
    case 6: { /* binary garbage */
      char tmp[32];
      uint32_t n = 1 + rnd_below(r, sizeof tmp);
      for (uint32_t i = 0; i < n; i++)
        tmp[i] = (char) rnd(r);
      insert_str(s, r, tmp, n);
      break;
    }
    case 7: { /* a very long line: one long word, number, string or sum */
      static const char *const unit[] = { "a", "9", "x + ", "(1) + ", "\"abc", "en ", "é" };
      const char *u = unit[rnd_below(r, G_N_ELEMENTS(unit))];
      guint reps = 1000 + rnd_below(r, 30000);
      GString *l = g_string_sized_new(reps * strlen(u) + 2);
      for (guint i = 0; i < reps; i++)
        g_string_append(l, u);
      insert_str(s, r, l->str, (gssize) l->len);
      g_string_free(l, TRUE);
      break;
    }
    case 8: { /* deeply nested brackets, balanced or not */
      static const char open[] = "([{", close[] = ")]}";
      guint which = rnd_below(r, 3), depth = 1 + rnd_below(r, rnd_below(r, 2) ? 100 : 20000);
      bool balanced = rnd_below(r, 2);
      GString *l = g_string_sized_new(2 * depth + 1);
      for (guint i = 0; i < depth; i++)
        g_string_append_c(l, open[which]);
      g_string_append_c(l, '1');
      if (balanced)
        for (guint i = 0; i < depth; i++)
          g_string_append_c(l, close[which]);
      /* usually into an expression: after an '=' if there is one */
      const char *eq = strchr(s->str + rnd_below(r, len + 1), '=');
      gsize pos = eq ? (gsize) (eq - s->str) + 1 : rnd_below(r, len + 1);
      g_string_insert_len(s, (gssize) pos, l->str, (gssize) l->len);
      g_string_free(l, TRUE);
      break;
    }
    case 9: { /* swap two lines */
      guint nl = count_lines(s), x = rnd_below(r, nl), y = rnd_below(r, nl);
      if (x == y)
        break;
      if (x > y) {
        guint t = x;
        x = y;
        y = t;
      }
      gsize xa = line_start(s, x), xb = line_start(s, x + 1);
      gsize ya = line_start(s, y), yb = line_start(s, y + 1);
      char *lx = g_strndup(s->str + xa, xb - xa), *ly = g_strndup(s->str + ya, yb - ya);
      g_string_erase(s, (gssize) ya, (gssize) (yb - ya));
      g_string_insert_len(s, (gssize) ya, lx, (gssize) strlen(lx));
      g_string_erase(s, (gssize) xa, (gssize) (xb - xa));
      g_string_insert_len(s, (gssize) xa, ly, (gssize) strlen(ly));
      g_free(lx);
      g_free(ly);
      break;
    }
    case 10: { /* a number changed into an extreme one */
      static const char *const nums[] = { "0", "-0", "9223372036854775807", "9223372036854775808",
                                          "-9223372036854775809", "0.0000005", "1e3", "00",
                                          "18446744073709551616", "1.", ".5" };
      for (uint32_t i = rnd_below(r, len + 1); i < len; i++) {
        if (g_ascii_isdigit(s->str[i])) {
          uint32_t j = i;
          while (j < len && (g_ascii_isdigit(s->str[j]) || s->str[j] == '.'))
            j++;
          g_string_erase(s, i, j - i);
          g_string_insert(s, i, nums[rnd_below(r, G_N_ELEMENTS(nums))]);
          break;
        }
      }
      break;
    }
    default: { /* indentation changed on a line */
      guint nl = count_lines(s);
      gsize a = line_start(s, rnd_below(r, nl));
      if (rnd_below(r, 2))
        g_string_insert(s, (gssize) a, rnd_below(r, 2) ? "  " : "\t");
      else if (a < s->len && (s->str[a] == ' ' || s->str[a] == '\t'))
        g_string_erase(s, (gssize) a, 1);
      break;
    }
    }
  }
}

START_TEST(mutated_sources)
{
  /* proves: the compiler survives damaged criteria and places every diagnostic in a file */
  install_handlers();
  campaign = "source";
  gint64 t0 = g_get_monotonic_time();
  guint n = level() == 0 ? 150 : level() == 1 ? 600 : 10000;
  guint compiled_ok = 0, failed = 0, ndiag = 0;
  Stats st = { 0 };
  Source *mut = g_new0(Source, nsources);
  guint last = 0;
  for (guint i = 0; i < n; i++) {
    uint64_t seed = UINT64_C(0xc0de0000) + i, r = seed;
    guint which = rnd_below(&r, nsources);
    GString *s = g_string_new_len(sources[which].text, (gssize) sources[which].len);
    mutate_source(s, &r);
    for (guint k = 0; k < nsources; k++)
      mut[k] = sources[k];
    mut[which].text = s->str;
    mut[which].len = s->len;
    begin_mutant((const guint8 *) s->str, s->len, "source mutant of %s, seed 0x%" G_GINT64_MODIFIER "x",
                 sources[which].name, seed);
    RegCompiler *c = NULL;
    RegProgram *p = compile_sources(mut, nsources, &c);
    guint nd = reg_compiler_get_n_diagnostics(c);
    ndiag += nd;
    if (!p) {
      failed++;
      EXPECT(nd >= 1, "compilation failed without a diagnostic");
    } else {
      compiled_ok++;
    }
    for (guint d = 0; d < nd; d++) {
      const char *file = NULL;
      guint line = 0, col = 0, code = 0;
      const char *msg = reg_compiler_get_diagnostic(c, d, &code, &file, &line, &col);
      EXPECT(msg != NULL && file != NULL && *file && line >= 1 && col >= 1,
             "diagnostic %u without a place: '%s':%u:%u: %s [REG%04u]", d, file ? file : "(null)",
             line, col, msg ? msg : "(null)", code);
    }
    if (p) {
      run_program(p, REG_EXPLAIN_NONE, &st);
      reg_program_unref(p);
    }
    reg_compiler_free(c);
    end_mutant();
    g_string_free(s, TRUE);
    if (i + 1 - last >= 500) {
      leak_check("source", last, i);
      last = i + 1;
    }
  }
  leak_check("source", last, n);
  g_free(mut);
  fprintf(stderr,
          "source mutants: %u compiled: %u failed with %u diagnostics, %u compiled and decided "
          "(%" G_GUINT64_FORMAT " decisions, %" G_GUINT64_FORMAT " evaluation errors, %" G_GUINT64_FORMAT
          " data errors) (%.1f s)\n",
          n, failed, ndiag, compiled_ok, st.decided, st.eval_errors, st.data_errors,
          (double) (g_get_monotonic_time() - t0) / 1e6);
  assert_no_failures("source mutants");
  ck_assert_uint_gt(failed, 0);
}
END_TEST

START_TEST(unmutated_baseline)
{
  /* proves: the harness works: the shipped criteria load, decide and explain the examples */
  Stats st = { 0 };
  g_strlcpy(current, "the unmutated compiled criteria", sizeof current);
  try_bytes(compiled, compiled_len, false, &st);
  try_bytes(compiled, compiled_len, true, &st);
  assert_no_failures("baseline");
  ck_assert_uint_eq(st.accepted, 2);
  ck_assert_uint_gt(st.decided, 0);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("mutate");
  struct {
    const char *name;
    const TTest *test;
  } cases[] = {
    { "baseline", unmutated_baseline }, { "single-byte", single_byte_mutants },
    { "binary", random_binary_mutants }, { "source", mutated_sources },
    { "explained", explained_mutants },
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    TCase *tc = tcase_create(cases[i].name);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, cases[i].test);
    suite_add_tcase(s, tc);
  }
  return s;
}

int
main(void)
{
  fixture_load();
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  fixture_free();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
