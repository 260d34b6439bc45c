/* batch.c: decides a buffer of JSON Lines, hashing many lines at once, output in input order. */
#include <string.h>

#include "batch-private.h"
#include "sha256-private.h"

#define HASH_GROUP 128

RegBatch *
reg_batch_new(RegProgram *program, guint jobs)
{
  g_return_val_if_fail(program != NULL, NULL);
  RegBatch *b = g_new0(RegBatch, 1);
  b->jobs = jobs ? jobs : 1;
  b->ev = g_new0(RegEvaluator *, b->jobs);
  for (guint i = 0; i < b->jobs; i++)
    b->ev[i] = reg_evaluator_new(program);
  return b;
}

void
reg_batch_free(RegBatch *b)
{
  if (!b)
    return;
  for (guint i = 0; i < b->jobs; i++)
    reg_evaluator_free(b->ev[i]);
  g_free(b->ev);
  g_free(b);
}

RegEvaluator *
reg_batch_get_evaluator(RegBatch *b, guint index)
{
  g_return_val_if_fail(b != NULL && index < b->jobs, NULL);
  return b->ev[index];
}

guint
reg_batch_get_jobs(RegBatch *b)
{
  g_return_val_if_fail(b != NULL, 0);
  return b->jobs;
}

/* Decides the lines of [data, data+len) with one evaluator. */
static void
decide_range(RegEvaluator *ev, const char *data, size_t len, uint64_t first_line, RegBuf *out,
             RegBatchCounts *counts)
{
  const char *p = data, *end = data + len;
  uint64_t lineno = first_line;
  while (p < end) {
    /* a group of lines hashed together */
    const uint8_t *ptrs[HASH_GROUP];
    size_t lens[HASH_GROUP];
    uint8_t digests[HASH_GROUP][REG_SHA256_LEN];
    size_t n = 0;
    const char *q = p;
    while (n < HASH_GROUP && q < end) {
      const char *nl = memchr(q, '\n', (size_t) (end - q));
      size_t l = nl ? (size_t) (nl - q) : (size_t) (end - q);
      ptrs[n] = (const uint8_t *) q;
      lens[n] = l;
      n++;
      q = nl ? nl + 1 : end;
    }
    if (ev->audit_fields)
      reg_sha256_many(n, ptrs, lens, digests);
    for (size_t i = 0; i < n; i++) {
      RegDecideStatus st = reg_evaluator_decide_line(ev, (const char *) ptrs[i], lens[i],
                                                     ev->audit_fields ? digests[i] : NULL,
                                                     lineno++, out);
      reg_buf_addc(out, '\n');
      counts->lines++;
      if (st != REG_DECIDE_OK)
        counts->errors++;
    }
    p = q;
  }
}

typedef struct {
  RegEvaluator *ev;
  const char *data;
  size_t len;
  uint64_t first_line;
  RegBuf out;
  RegBatchCounts counts;
} Slice;

static gpointer
run_slice(gpointer data)
{
  Slice *s = data;
  /* the output and counts of every line go to this thread's own stack, not to the slice
   * array that the other threads' slices share cache lines with (false sharing cost
   * --jobs 2 a third more CPU per portfolio) */
  RegBuf out = s->out;
  RegBatchCounts counts = { 0, 0 };
  decide_range(s->ev, s->data, s->len, s->first_line, &out, &counts);
  s->out = out;
  s->counts = counts;
  return NULL;
}

void
reg_batch_decide_buf(RegBatch *b, const char *data, size_t len, uint64_t first_line, RegBuf *out,
                     RegBatchCounts *counts)
{
  if (b->jobs == 1 || len < 65536) {
    decide_range(b->ev[0], data, len, first_line, out, counts);
    return;
  }
  /* Split at line boundaries into one slice per job; join the outputs in order.
   * Each slice gets a thread of its own, joined here: about 1,300 portfolios per 4 MiB
   * chunk, so starting threads costs little, and g_thread_join() is a synchronisation
   * ThreadSanitizer sees (GThreadPool's queue and GMutex are futexes inside GLib, which
   * it does not, so it reported false races; tests/tools/tsan.sh). */
  Slice *s = g_new0(Slice, b->jobs);
  GThread **threads = g_new0(GThread *, b->jobs);
  const char *p = data, *end = data + len;
  uint64_t line = first_line;
  guint used = 0;
  for (guint i = 0; i < b->jobs && p < end; i++) {
    const char *cut = i + 1 == b->jobs ? end : p + (size_t) (end - p) / (b->jobs - i);
    if (cut < end) {
      const char *nl = memchr(cut, '\n', (size_t) (end - cut));
      cut = nl ? nl + 1 : end;
    }
    s[i].ev = b->ev[i];
    s[i].data = p;
    s[i].len = (size_t) (cut - p);
    s[i].first_line = line;
    for (const char *q = p; q < cut;) {
      const char *nl = memchr(q, '\n', (size_t) (cut - q));
      line++;
      q = nl ? nl + 1 : cut;
    }
    reg_buf_init(&s[i].out);
    p = cut;
    used = i + 1;
  }
  for (guint i = 1; i < used; i++)
    threads[i] = g_thread_new("reg-batch", run_slice, &s[i]);
  run_slice(&s[0]);
  for (guint i = 0; i < used; i++) {
    if (i > 0)
      g_thread_join(threads[i]);
    reg_buf_add(out, s[i].out.data, s[i].out.len);
    counts->lines += s[i].counts.lines;
    counts->errors += s[i].counts.errors;
    reg_buf_clear(&s[i].out);
  }
  g_free(threads);
  g_free(s);
}

gsize
reg_batch_decide(RegBatch *b, const char *data, gsize len, guint64 first_line, GString *out,
                 guint64 *n_errors)
{
  g_return_val_if_fail(b != NULL && data != NULL && out != NULL, 0);
  RegBuf buf;
  reg_buf_init(&buf);
  RegBatchCounts counts = { 0, 0 };
  reg_batch_decide_buf(b, data, len, first_line, &buf, &counts);
  g_string_append_len(out, buf.data, (gssize) buf.len);
  reg_buf_clear(&buf);
  if (n_errors)
    *n_errors += counts.errors;
  return counts.lines;
}
