/* batch.c: decides a buffer of JSON Lines, hashing many lines at once, output in input order. */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "batch-private.h"
#include "sha256-private.h"

#define HASH_GROUP 128

static void pool_free(RegBatchPool *pool);

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
  if (b->pool)
    pool_free(b->pool); /* (every ticket has been taken) */
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

struct RegBatchTicket {
  Piece *pieces;
  guint npieces;
  guint taken;          /* pieces a thread has started (under the pool's lock) */
  guint done;           /* pieces decided (under the pool's lock) */
  RegBatchTicket *next; /* the next ticket with pieces nobody has taken */
};

typedef struct {
  RegBatchPool *pool;
  RegEvaluator *ev;
} Worker;

/* The batch's threads, one per job and evaluator, alive as long as the batch. They are
 * synchronised with pthread mutexes and condition variables, which ThreadSanitizer sees
 * (GMutex and GCond are futexes inside GLib, which it does not: tests/tools/tsan.sh). */
struct RegBatchPool {
  pthread_mutex_t lock;
  pthread_cond_t work;         /* a ticket was queued, or the pool stops */
  pthread_cond_t done;         /* a ticket's last piece was decided */
  RegBatchTicket *head, *tail; /* tickets with pieces nobody has taken, oldest first */
  bool stop;
  guint nthreads;
  pthread_t *threads;
  Worker *workers;
};

/* Takes pieces, oldest ticket first, until the pool stops with nothing left to take. */
static void *
pool_run(void *data)
{
  Worker *w = data;
  RegBatchPool *pool = w->pool;
  pthread_mutex_lock(&pool->lock);
  for (;;) {
    while (!pool->head && !pool->stop)
      pthread_cond_wait(&pool->work, &pool->lock);
    RegBatchTicket *t = pool->head;
    if (!t)
      break;
    Piece *pc = &t->pieces[t->taken++];
    if (t->taken == t->npieces) {
      pool->head = t->next;
      if (!pool->head)
        pool->tail = NULL;
    }
    pthread_mutex_unlock(&pool->lock);
    /* output and counts on this thread's stack while deciding */
    RegBuf out;
    reg_buf_init(&out);
    RegBatchCounts counts = { 0, 0 };
    decide_range(w->ev, pc->data, pc->len, pc->first_line, &out, &counts);
    pthread_mutex_lock(&pool->lock);
    pc->out = out;
    pc->counts = counts;
    if (++t->done == t->npieces)
      pthread_cond_broadcast(&pool->done);
  }
  pthread_mutex_unlock(&pool->lock);
  return NULL;
}

static void
pool_free(RegBatchPool *pool)
{
  pthread_mutex_lock(&pool->lock);
  pool->stop = true;
  pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&pool->lock);
  for (guint i = 0; i < pool->nthreads; i++)
    pthread_join(pool->threads[i], NULL);
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->work);
  pthread_mutex_destroy(&pool->lock);
  g_free(pool->threads);
  g_free(pool->workers);
  g_free(pool);
}

/* Starts a thread per job; NULL when not even one could be started. */
static RegBatchPool *
pool_new(RegBatch *b)
{
  RegBatchPool *pool = g_new0(RegBatchPool, 1);
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->work, NULL);
  pthread_cond_init(&pool->done, NULL);
  pool->threads = g_new0(pthread_t, b->jobs);
  pool->workers = g_new0(Worker, b->jobs);
  for (guint i = 0; i < b->jobs; i++) {
    pool->workers[i] = (Worker){ pool, b->ev[i] };
    if (pthread_create(&pool->threads[pool->nthreads], NULL, pool_run, &pool->workers[i]) != 0)
      break; /* decide with the threads there are */
    pool->nthreads++;
  }
  if (pool->nthreads == 0) {
    pool_free(pool);
    return NULL;
  }
  return pool;
}

/* pieces per job in a buffer: enough to even out, few enough to cost nothing */
#define PIECES_PER_JOB 8

/* Splits [data, data+len) at line boundaries into at most @want pieces; *@lines: how many
 * lines that is. */
static RegBatchTicket *
ticket_new(const char *data, size_t len, uint64_t first_line, guint want, uint64_t *lines)
{
  RegBatchTicket *t = g_new0(RegBatchTicket, 1);
  t->pieces = g_new0(Piece, want);
  const char *p = data, *end = data + len;
  uint64_t line = first_line;
  for (guint i = 0; i < want && p < end; i++) {
    const char *cut = i + 1 == want ? end : p + (size_t) (end - p) / (want - i);
    if (cut < end) {
      const char *nl = memchr(cut, '\n', (size_t) (end - cut));
      cut = nl ? nl + 1 : end;
    }
    Piece *pc = &t->pieces[t->npieces++];
    pc->data = p;
    pc->len = (size_t) (cut - p);
    pc->first_line = line;
    for (const char *q = p; q < cut;) {
      const char *nl = memchr(q, '\n', (size_t) (cut - q));
      line++;
      q = nl ? nl + 1 : cut;
    }
    p = cut;
  }
  *lines = line - first_line;
  return t;
}

RegBatchTicket *
reg_batch_submit(RegBatch *b, const char *data, size_t len, uint64_t first_line, uint64_t *lines)
{
  if (b->jobs > 1 && !b->pool)
    b->pool = pool_new(b);
  RegBatchPool *pool = b->pool;
  RegBatchTicket *t = ticket_new(data, len, first_line,
                                 !pool || len < 65536 ? 1 : b->jobs * PIECES_PER_JOB, lines);
  if (!pool) {
    /* one job (or no thread to be had): decided here and now */
    for (guint i = 0; i < t->npieces; i++) {
      Piece *pc = &t->pieces[i];
      decide_range(b->ev[0], pc->data, pc->len, pc->first_line, &pc->out, &pc->counts);
    }
    t->taken = t->done = t->npieces;
    return t;
  }
  if (t->npieces == 0)
    return t; /* an empty buffer: nothing to queue */
  pthread_mutex_lock(&pool->lock);
  if (pool->tail)
    pool->tail->next = t;
  else
    pool->head = t;
  pool->tail = t;
  pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&pool->lock);
  return t;
}

void
reg_batch_take(RegBatch *b, RegBatchTicket *t, RegBuf *out, RegBatchCounts *counts)
{
  if (b->pool) {
    pthread_mutex_lock(&b->pool->lock);
    while (t->done < t->npieces)
      pthread_cond_wait(&b->pool->done, &b->pool->lock);
    pthread_mutex_unlock(&b->pool->lock);
  }
  for (guint i = 0; i < t->npieces; i++) {
    reg_buf_add(out, t->pieces[i].out.data, t->pieces[i].out.len);
    counts->lines += t->pieces[i].counts.lines;
    counts->errors += t->pieces[i].counts.errors;
    reg_buf_clear(&t->pieces[i].out);
  }
  g_free(t->pieces);
  g_free(t);
}

void
reg_batch_decide_buf(RegBatch *b, const char *data, size_t len, uint64_t first_line, RegBuf *out,
                     RegBatchCounts *counts)
{
  if (b->jobs == 1) {
    decide_range(b->ev[0], data, len, first_line, out, counts);
    return;
  }
  uint64_t lines;
  reg_batch_take(b, reg_batch_submit(b, data, len, first_line, &lines), out, counts);
}

gsize
reg_batch_decide(RegBatch *b, const char *data, gsize len, guint64 first_line, GString *out,
                 guint64 *n_errors)
{
  g_return_val_if_fail(b != NULL && data != NULL && out != NULL, 0);
  /* Decide straight into @out's storage (GString's fields are public, its storage
   * g_malloc'd like RegBuf's): no copy of the decisions afterwards. */
  RegBuf buf = { out->str, out->len, out->allocated_len };
  RegBatchCounts counts = { 0, 0 };
  reg_batch_decide_buf(b, data, len, first_line, &buf, &counts);
  reg_buf_reserve(&buf, 1); /* room for GString's terminating NUL */
  buf.data[buf.len] = '\0';
  out->str = buf.data;
  out->len = buf.len;
  out->allocated_len = buf.cap;
  if (n_errors)
    *n_errors += counts.errors;
  return counts.lines;
}
