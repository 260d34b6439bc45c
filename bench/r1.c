/* r1.c: the engine's entry in the shared R1 benchmark harness, and evaluation-only timing
 * against a hand-written C function on the same in-memory portfolios.
 *
 *   r1 e2e INPUT.jsonl OUTPUT.tsv      regel eval's pipeline on bench/r1, then the TSV of ref_r1.py
 *   r1 eval INPUT.jsonl N MIN_SECONDS  parse N portfolios once, time evaluation only; one JSON line
 *
 * R1_RULES overrides the criteria (default: bench/r1 of the source tree); R1_JOBS sets the
 * threads of e2e. This program knows R1's field names; the engine does not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch-private.h"
#include "date-private.h"
#include "decimal-private.h"
#include "libreg/libreg.h"
#include "portfolio-private.h"
#include "vm-private.h"

static RegProgram *
load_rules(void)
{
  const char *path = g_getenv("R1_RULES");
  if (!path)
    path = REG_BENCH_R1_DIR;
  g_autoptr(RegCompiler) c = reg_compiler_new();
  GError *error = NULL;
  RegProgram *p = NULL;
  if (g_str_has_suffix(path, ".rbc")) {
    p = reg_program_new_from_file(path, &error);
  } else if (reg_compiler_add_path(c, path, &error)) {
    p = reg_compiler_compile(c, &error);
    if (!p) {
      char *d = reg_compiler_format_diagnostics(c);
      fputs(d, stderr);
      g_free(d);
    }
  }
  if (!p) {
    fprintf(stderr, "r1: %s\n", error->message);
    exit(2);
  }
  return p;
}

static const char *
map_file(const char *path, size_t *size)
{
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(path);
    exit(2);
  }
  *size = (size_t) st.st_size;
  const char *data = *size ? mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
  if (data == MAP_FAILED) {
    perror("mmap");
    exit(2);
  }
  close(fd);
  return data;
}

/* ---- e2e ---------------------------------------------------------------------- */

/* Appends the TSV lines of one decision line: teacher, code, counted (one decimal), outcome. */
static void
tsv_of(const char *line, const char *end, GString *out)
{
  const char *t = g_strstr_len(line, end - line, "\"teacher\":\"");
  if (!t)
    return;
  t += 11;
  const char *te = memchr(t, '"', (size_t) (end - t));
  const char *p = g_strstr_len(te, end - te, "\"bevoegdheden\":[");
  if (!p)
    return;
  p += 16;
  while (p < end && *p == '{') {
    const char *c = p + 9; /* {"code":" */
    const char *ce = memchr(c, '"', (size_t) (end - c));
    const char *n = ce + 12; /* ","counted": */
    const char *ne = n;
    while (*ne != ',')
      ne++;
    const char *o = ne + 12; /* ,"outcome":" */
    const char *oe = memchr(o, '"', (size_t) (end - o));
    int64_t v = 0;
    reg_dec_parse(n, (size_t) (ne - n), &v, NULL);
    int64_t tenths = v / 100000;
    g_string_append_len(out, t, te - t);
    g_string_append_c(out, '\t');
    g_string_append_len(out, c, ce - c);
    g_string_append_printf(out, "\t%lld.%lld\t", (long long) (tenths / 10), (long long) (tenths % 10));
    g_string_append_len(out, o, oe - o);
    g_string_append_c(out, '\n');
    p = oe + 2; /* "} */
    if (p < end && *p == ',')
      p++;
  }
}

static int
run_e2e(const char *in, const char *outpath)
{
  g_autoptr(RegProgram) prog = load_rules();
  const char *jobs = g_getenv("R1_JOBS");
  g_autoptr(RegBatch) batch = reg_batch_new(prog, jobs ? (guint) atoi(jobs) : 1);
  size_t size;
  const char *data = map_file(in, &size);
  FILE *out = fopen(outpath, "w");
  if (!out) {
    perror(outpath);
    return 2;
  }
  RegBuf dec;
  reg_buf_init(&dec);
  GString *tsv = g_string_sized_new(1 << 20);
  size_t pos = 0, released = 0;
  uint64_t line = 0;
  while (pos < size) {
    size_t upto = pos + (4u << 20) < size ? pos + (4u << 20) : size;
    const char *nl = upto < size ? memchr(data + upto, '\n', size - upto) : NULL;
    size_t end = upto < size ? (nl ? (size_t) (nl - data) + 1 : size) : size;
    RegBatchCounts counts = { 0, 0 };
    dec.len = 0;
    reg_batch_decide_buf(batch, data + pos, end - pos, line + 1, &dec, &counts);
    line += counts.lines;
    for (const char *p = dec.data, *e = dec.data + dec.len; p < e;) {
      const char *le = memchr(p, '\n', (size_t) (e - p));
      tsv_of(p, le, tsv);
      p = le + 1;
    }
    fwrite(tsv->str, 1, tsv->len, out);
    g_string_truncate(tsv, 0);
    pos = end;
    /* as regel eval: give back the decided pages, so memory stays flat */
    size_t page = (size_t) sysconf(_SC_PAGESIZE), done = pos & ~(page - 1);
    if (done > released) {
      madvise((void *) (data + released), done - released, MADV_DONTNEED);
      released = done;
    }
  }
  fclose(out);
  reg_buf_clear(&dec);
  g_string_free(tsv, TRUE);
  return 0;
}

/* ---- evaluation only ------------------------------------------------------------- */

typedef struct {
  RegValue input;
  int64_t asof;
} Loaded;

static uint32_t
field_index(const RegProgram *p, uint32_t rec, const char *name)
{
  for (uint32_t i = 0; i < p->records[rec].nfields; i++)
    if (strcmp(reg_str(p, reg_record_field(p, rec, i)->name), name) == 0)
      return i;
  fprintf(stderr, "r1: no field %s\n", name);
  exit(2);
}

static uint32_t
record_of(const RegProgram *p, uint32_t rec, uint32_t field)
{
  uint32_t t = reg_record_field(p, rec, field)->type;
  if (p->types[t].kind == REG_TK_LIST)
    t = p->types[t].arg;
  return p->types[t].arg;
}

/* Field slots of the R1 portfolio, looked up once by name. */
typedef struct {
  uint32_t teacher, registration, start, bevoegdheden, activities;
  uint32_t b_code, b_herr;
  uint32_t a_kind, a_date, a_hours, a_bev, a_valid;
  uint64_t informal_mask;
} Slots;

static Slots
find_slots(const RegProgram *p)
{
  Slots s;
  uint32_t root = p->input_record;
  s.registration = field_index(p, root, "registration");
  s.start = field_index(p, record_of(p, root, s.registration), "start");
  s.bevoegdheden = field_index(p, root, "bevoegdheden");
  s.activities = field_index(p, root, "activities");
  uint32_t brec = record_of(p, root, s.bevoegdheden), arec = record_of(p, root, s.activities);
  s.b_code = field_index(p, brec, "code");
  s.b_herr = field_index(p, brec, "herregistratie");
  s.a_kind = field_index(p, arec, "kind");
  s.a_date = field_index(p, arec, "date");
  s.a_hours = field_index(p, arec, "hours");
  s.a_bev = field_index(p, arec, "bevoegdheden");
  s.a_valid = field_index(p, arec, "validated");
  /* the informal kinds, by member name */
  uint32_t kt = reg_record_field(p, arec, s.a_kind)->type;
  const RegEnum *e = &p->enums[p->types[kt].arg];
  const char *informal[] = { "intervisie", "peer_review", "collegiale_visitatie", "vakliteratuur" };
  s.informal_mask = 0;
  for (uint32_t i = 0; i < e->nmembers; i++)
    for (size_t k = 0; k < G_N_ELEMENTS(informal); k++)
      if (strcmp(reg_str(p, p->enum_members[e->first_member + i]), informal[k]) == 0)
        s.informal_mask |= (uint64_t) 1 << i;
  return s;
}

static bool
text_in(const RegList *l, const RegText *t)
{
  for (uint32_t i = 0; i < l->len; i++) {
    const RegText *x = l->v[i].p;
    if (x->len == t->len && memcmp(x->s, t->s, t->len) == 0)
      return true;
  }
  return false;
}

/* R1 by hand, on the engine's in-memory portfolio: the reference for evaluation speed. */
static int64_t
r1_by_hand(const Slots *s, const RegValue *root)
{
  const RegValue *reg = root[s->registration].p;
  int64_t start = reg[s->start].i, end;
  reg_date_add_months(start, 48, &end);
  const RegList *bevs = root[s->bevoegdheden].p, *acts = root[s->activities].p;
  int64_t checksum = 0;
  for (uint32_t bi = 0; bi < bevs->len; bi++) {
    const RegValue *b = bevs->v[bi].p;
    if (!b[s->b_herr].i)
      continue;
    const RegText *code = b[s->b_code].p;
    int64_t formal = 0, informal = 0;
    for (uint32_t ai = 0; ai < acts->len; ai++) {
      const RegValue *a = acts->v[ai].p;
      if (!a[s->a_valid].i)
        continue;
      int64_t d = a[s->a_date].i;
      if (d < start || d >= end)
        continue;
      const RegList *ab = a[s->a_bev].p;
      if (ab->len && !text_in(ab, code))
        continue;
      int64_t k = a[s->a_kind].i;
      if (k >= 0 && ((s->informal_mask >> k) & 1))
        informal += a[s->a_hours].i;
      else
        formal += a[s->a_hours].i;
    }
    int64_t counted = formal + (informal < 40 * REG_DEC_SCALE ? informal : 40 * REG_DEC_SCALE);
    checksum += counted / 100000; /* tenths */
  }
  return checksum;
}

/* Sum of counted tenths in the engine's output record. */
static int64_t
checksum_of(const RegProgram *p, const RegView *view, const RegValue *out, uint32_t f_list,
            uint32_t f_counted)
{
  (void) view;
  const RegList *l = out[f_list].p;
  int64_t sum = 0;
  for (uint32_t i = 0; i < l->len; i++)
    sum += ((const RegValue *) l->v[i].p)[f_counted].i / 100000;
  (void) p;
  return sum;
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median(GArray *a)
{
  qsort(a->data, a->len, sizeof(double), cmp_double);
  return g_array_index(a, double, a->len / 2);
}

static int
run_eval(const char *in, int n, double min_seconds)
{
  g_autoptr(RegProgram) prog = load_rules();
  const RegProgram *p = prog;
  size_t size;
  const char *data = map_file(in, &size);

  RegArena store, scratch;
  reg_arena_init(&store, (size_t) 1 << 34);
  reg_arena_init(&scratch, 0);
  RegReader reader;
  reg_reader_init(&reader, p);
  Loaded *ps = g_new0(Loaded, n);
  int count = 0;
  for (const char *q = data, *e = data + size; q < e && count < n;) {
    const char *nl = memchr(q, '\n', (size_t) (e - q));
    size_t len = nl ? (size_t) (nl - q) : (size_t) (e - q);
    if (reg_reader_read(&reader, &store, q, len, &ps[count].input) == REG_READ_OK &&
        reader.asof_set) {
      ps[count].asof = reader.asof;
      count++;
    }
    q = nl ? nl + 1 : e;
  }

  RegVM vm;
  reg_vm_init(&vm, p, &scratch);
  const RegView *view = &p->views[p->default_view];
  uint32_t f_list = field_index(p, view->record, "bevoegdheden");
  uint32_t f_counted = field_index(p, record_of(p, view->record, f_list), "counted");
  Slots slots = find_slots(p);

  /* one untimed pass each, for the checksums */
  int64_t sum_vm = 0, sum_hand = 0;
  for (int i = 0; i < count; i++) {
    RegValue r;
    reg_arena_reset(&scratch);
    reg_vm_begin(&vm, ps[i].input, ps[i].asof, INT64_MAX);
    if (reg_vm_call(&vm, view->func, NULL, &r) != REG_VM_OK) {
      fprintf(stderr, "r1: runtime error\n");
      return 2;
    }
    sum_vm += checksum_of(p, view, r.p, f_list, f_counted);
    sum_hand += r1_by_hand(&slots, ps[i].input.p);
  }

  GArray *t_vm = g_array_new(FALSE, FALSE, sizeof(double));
  GArray *t_hand = g_array_new(FALSE, FALSE, sizeof(double));
  gint64 t0 = g_get_monotonic_time();
  while (t_vm->len < 3 || (g_get_monotonic_time() - t0) < (gint64) (min_seconds * 1e6)) {
    /* alternate the two so that machine noise hits both alike */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int64_t s1 = 0;
    for (int i = 0; i < count; i++) {
      RegValue r;
      reg_arena_reset(&scratch);
      reg_vm_begin(&vm, ps[i].input, ps[i].asof, INT64_MAX);
      reg_vm_call(&vm, view->func, NULL, &r);
      s1 += checksum_of(p, view, r.p, f_list, f_counted);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((double) (b.tv_sec - a.tv_sec) * 1e9 + (double) (b.tv_nsec - a.tv_nsec)) / count;
    g_array_append_val(t_vm, ns);
    clock_gettime(CLOCK_MONOTONIC, &a);
    int64_t s2 = 0;
    for (int i = 0; i < count; i++)
      s2 += r1_by_hand(&slots, ps[i].input.p);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ns = ((double) (b.tv_sec - a.tv_sec) * 1e9 + (double) (b.tv_nsec - a.tv_nsec)) / count;
    g_array_append_val(t_hand, ns);
    if (s1 != sum_vm || s2 != sum_hand) {
      fprintf(stderr, "r1: checksum changed between passes\n");
      return 2;
    }
  }
  double m_vm = median(t_vm), m_hand = median(t_hand);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"peer\":\"c-engine\",\"mode\":\"eval\",\"portfolios\":%d,\"passes\":%u,"
         "\"ns_per_portfolio_median\":%.0f,\"checksum_tenths\":%lld,"
         "\"hand_c_ns_per_portfolio_median\":%.0f,\"hand_c_checksum_tenths\":%lld,"
         "\"vm_over_hand_c\":%.2f,\"max_rss_mib\":%ld}\n",
         count, t_vm->len, m_vm, (long long) sum_vm, m_hand, (long long) sum_hand, m_vm / m_hand,
         ru.ru_maxrss / 1024);
  reg_vm_clear(&vm);
  reg_reader_clear(&reader);
  reg_arena_clear(&store);
  reg_arena_clear(&scratch);
  g_free(ps);
  g_array_unref(t_vm);
  g_array_unref(t_hand);
  return sum_vm == sum_hand ? 0 : 1;
}

/* Parse only: the schema-directed reader over every line, best of @runs. */
static int
run_parse(const char *in, int runs)
{
  g_autoptr(RegProgram) prog = load_rules();
  size_t size;
  const char *data = map_file(in, &size);
  RegArena arena;
  reg_arena_init(&arena, 0);
  RegReader reader;
  reg_reader_init(&reader, prog);
  double best = 1e30;
  long lines = 0, bad = 0;
  for (int k = 0; k < runs; k++) {
    gint64 t0 = g_get_monotonic_time();
    lines = bad = 0;
    for (const char *q = data, *e = data + size; q < e;) {
      const char *nl = memchr(q, '\n', (size_t) (e - q));
      size_t len = nl ? (size_t) (nl - q) : (size_t) (e - q);
      RegValue v;
      reg_arena_reset(&arena);
      if (reg_reader_read(&reader, &arena, q, len, &v) != REG_READ_OK)
        bad++;
      lines++;
      q = nl ? nl + 1 : e;
    }
    double s = (double) (g_get_monotonic_time() - t0) / 1e6;
    if (s < best)
      best = s;
  }
  printf("parse: %ld lines (%ld bad), %.1f MB, best %.3f s, %.0f MB/s, %.0f ns/line\n", lines, bad,
         (double) size / 1e6, best, (double) size / 1e6 / best, best * 1e9 / (double) lines);
  reg_reader_clear(&reader);
  reg_arena_clear(&arena);
  return 0;
}

int
main(int argc, char **argv)
{
  if (argc >= 3 && strcmp(argv[1], "parse") == 0)
    return run_parse(argv[2], argc > 3 ? atoi(argv[3]) : 5);
  if (argc == 4 && strcmp(argv[1], "e2e") == 0)
    return run_e2e(argv[2], argv[3]);
  if (argc >= 4 && strcmp(argv[1], "eval") == 0)
    return run_eval(argv[2], atoi(argv[3]), argc > 4 ? atof(argv[4]) : 3.0);
  fprintf(stderr, "usage: r1 e2e INPUT.jsonl OUTPUT.tsv\n       r1 eval INPUT.jsonl N [MIN_SECONDS]\n");
  return 2;
}
