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

/* A run of whole lines, decided by whichever thread takes it, with its own output (written
 * once, when the piece is done: threads do not share lines while deciding). */
typedef struct {
  const char *data;
  size_t len;
  uint64_t first_line;
  RegBuf out;
  RegBatchCounts counts;
} Piece;

typedef struct {
  RegEvaluator *ev;
  Piece *pieces;
  guint npieces;
  gint *next; /* the next piece nobody has taken (atomic) */
} Worker;

/* Takes pieces until none is left: a thread that is ahead takes more, so that a chunk ends
 * when the work ends, not when the slowest of equal shares does. */
static gpointer
run_worker(gpointer data)
{
  Worker *w = data;
  for (;;) {
    gint i = g_atomic_int_add(w->next, 1);
    if (i < 0 || (guint) i >= w->npieces)
      break;
    Piece *pc = &w->pieces[i];
    /* output and counts on this thread's stack while deciding */
    RegBuf out;
    reg_buf_init(&out);
    RegBatchCounts counts = { 0, 0 };
    decide_range(w->ev, pc->data, pc->len, pc->first_line, &out, &counts);
    pc->out = out;
    pc->counts = counts;
  }
  return NULL;
}

/* pieces per job in a chunk: enough to even out, few enough to cost nothing */
#define PIECES_PER_JOB 8

void
reg_batch_decide_buf(RegBatch *b, const char *data, size_t len, uint64_t first_line, RegBuf *out,
                     RegBatchCounts *counts)
{
  if (b->jobs == 1 || len < 65536) {
    decide_range(b->ev[0], data, len, first_line, out, counts);
    return;
  }
  /* Split at line boundaries into pieces that the jobs take in turn; join the outputs in
   * input order. Each job gets a thread of its own, joined here: about 1,300 portfolios
   * per 4 MiB chunk, so starting threads costs little, and g_thread_join() is a
   * synchronisation ThreadSanitizer sees (GThreadPool's queue and GMutex are futexes
   * inside GLib, which it does not, so it reported false races; tests/tools/tsan.sh). */
  guint want = b->jobs * PIECES_PER_JOB;
  Piece *pieces = g_new0(Piece, want);
  const char *p = data, *end = data + len;
  uint64_t line = first_line;
  guint n = 0;
  for (guint i = 0; i < want && p < end; i++) {
    const char *cut = i + 1 == want ? end : p + (size_t) (end - p) / (want - i);
    if (cut < end) {
      const char *nl = memchr(cut, '\n', (size_t) (end - cut));
      cut = nl ? nl + 1 : end;
    }
    pieces[i].data = p;
    pieces[i].len = (size_t) (cut - p);
    pieces[i].first_line = line;
    for (const char *q = p; q < cut;) {
      const char *nl = memchr(q, '\n', (size_t) (cut - q));
      line++;
      q = nl ? nl + 1 : cut;
    }
    p = cut;
    n = i + 1;
  }
  gint next = 0;
  Worker *w = g_new0(Worker, b->jobs);
  GThread **threads = g_new0(GThread *, b->jobs);
  guint used = MIN(b->jobs, n);
  for (guint i = 0; i < used; i++)
    w[i] = (Worker){ b->ev[i], pieces, n, &next };
  for (guint i = 1; i < used; i++)
    threads[i] = g_thread_new("reg-batch", run_worker, &w[i]);
  run_worker(&w[0]);
  for (guint i = 1; i < used; i++)
    g_thread_join(threads[i]);
  for (guint i = 0; i < n; i++) {
    reg_buf_add(out, pieces[i].out.data, pieces[i].out.len);
    counts->lines += pieces[i].counts.lines;
    counts->errors += pieces[i].counts.errors;
    reg_buf_clear(&pieces[i].out);
  }
  g_free(threads);
  g_free(w);
  g_free(pieces);
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
