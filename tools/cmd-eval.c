/* cmd-eval.c: `regel eval`: decide every portfolio of JSON Lines files (or stdin), in order. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "batch-private.h"
#include "coverage-private.h"
#include "evaluator-private.h"
#include "regel.h"

#define CHUNK (4u << 20)

typedef struct {
  const char *rules;
  const char *as_of;
  const char *view;
  gboolean public_view;
  RegExplainStyle explain;
  guint jobs;
  guint64 budget;
  gsize max_line;
  gsize memory_limit; /* per decision; 0 for the library's default */
  const char *archive_path;
  gboolean archive_hash_only;
  RegelArchive *archive; /* --archive: every decided line is stored there too */
  const char *coverage_path; /* --coverage: where the condition coverage report goes */
  gboolean ahead; /* more than one job and no --archive: read ahead while the jobs decide */
} EvalOptions;

static int
usage(FILE *out, int code)
{
  fprintf(out,
          "usage: regel eval --rules R [--as-of DATE] [--public] [--explain[=leraar]] [--jobs N]\n"
          "                  [--view NAME] [--budget N] [--max-line BYTES] [--memory-limit BYTES]\n"
          "                  [--archive FILE.db [--archive-inputs=hash-only]]\n"
          "                  [--coverage REPORT] [FILE...]\n"
          "  Decides every portfolio (one JSON object per line) of the FILEs, or of standard\n"
          "  input, and prints one JSON line per input line, in order. R is a criteria\n"
          "  source file, a directory of them, or a compiled file.\n"
          "  --archive also stores the criteria, the inputs (or their SHA-256 only) and\n"
          "  every decision, hash-chained, in an SQLite file (docs/archive.md).\n"
          "  --coverage writes to REPORT (- for standard error) which conditions of the\n"
          "  criteria the portfolios made true and false, and which rules never ran.\n"
          "  Exit 0, or 1 when any line had a data error, 2 on bad criteria or usage.\n");
  return code;
}

static gboolean
write_all(int fd, const char *p, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return FALSE;
    }
    p += w;
    n -= (size_t) w;
  }
  return TRUE;
}

/* Decides whole lines into @out; with --archive, records them there too. */
static gsize
decide(RegBatch *batch, const char *data, gsize len, guint64 first_line, GString *out,
       guint64 *errors, const EvalOptions *o)
{
  gsize mark = out->len;
  gsize n = reg_batch_decide(batch, data, len, first_line, out, errors);
  if (o->archive)
    regel_archive_add(o->archive, data, len, out->str + mark, out->len - mark);
  return n;
}

/* The error line of input line @line, longer than --max-line (its text is not archived). */
static void
long_line_error(GString *out, guint64 line, const EvalOptions *o)
{
  gsize mark = out->len;
  g_string_append_printf(out, "{\"line\":%" G_GUINT64_FORMAT
                              ",\"error\":\"line longer than %" G_GSIZE_FORMAT " bytes\"}\n",
                         line, o->max_line);
  if (o->archive)
    regel_archive_add(o->archive, NULL, 0, out->str + mark, out->len - mark);
}

/* Prints the decided lines, once the archive (if any) has committed them. */
static gboolean
flush(GString *out, const EvalOptions *o)
{
  return (!o->archive || regel_archive_commit(o->archive)) &&
         write_all(STDOUT_FILENO, out->str, out->len);
}

/*
 * Decides the lines of [data, data+len) (the last may lack its newline); a
 * line longer than --max-line gets an error line instead, in its place.
 */
static void
decide_lines(RegBatch *batch, const char *data, size_t len, GString *out, const EvalOptions *o,
             guint64 *line, guint64 *errors)
{
  size_t pos = 0, start = 0;
  if (len <= o->max_line)
    start = len; /* no line of it can be too long: no need to look for one */
  while (start < len) {
    const char *e = memchr(data + start, '\n', len - start);
    size_t le = e ? (size_t) (e - data) : len;
    if (le - start > o->max_line) {
      /* decide what comes before, then answer the long line */
      if (start > pos)
        *line += decide(batch, data + pos, start - pos, *line + 1, out, errors, o);
      (*line)++;
      (*errors)++;
      long_line_error(out, *line, o);
      pos = e ? le + 1 : len;
    }
    start = e ? le + 1 : len;
  }
  if (len > pos)
    *line += decide(batch, data + pos, len - pos, *line + 1, out, errors, o);
}

/* Waits for the decisions of @t and writes them. */
static gboolean
take_and_write(RegBatch *batch, RegBatchTicket *t, guint64 *errors)
{
  RegBuf out;
  reg_buf_init(&out);
  RegBatchCounts counts = { 0, 0 };
  reg_batch_take(batch, t, &out, &counts);
  *errors += counts.errors;
  gboolean ok = write_all(STDOUT_FILENO, out.data, out.len);
  reg_buf_clear(&out);
  return ok;
}

/* Input handed to the batch's jobs and not yet written, oldest first. */
enum { AHEAD = 2 }; /* tickets at most, besides the one just submitted */
typedef struct {
  RegBatchTicket *t[AHEAD + 1];
  char *buf[AHEAD + 1]; /* the input their lines are in (freed once taken), or NULL */
  const char *at[AHEAD + 1]; /* where their lines start */
  guint n;
} Ahead;

/* Writes the decisions of the oldest tickets until @keep are left; FALSE on a write error. */
static gboolean
ahead_take(RegBatch *batch, Ahead *q, guint keep, guint64 *errors)
{
  gboolean ok = TRUE;
  guint drop = q->n > keep ? q->n - keep : 0;
  for (guint i = 0; i < drop; i++) {
    gboolean w = take_and_write(batch, q->t[i], errors);
    ok = ok && w;
    g_free(q->buf[i]);
  }
  for (guint i = drop; i < q->n; i++) {
    q->t[i - drop] = q->t[i];
    q->buf[i - drop] = q->buf[i];
    q->at[i - drop] = q->at[i];
  }
  q->n -= drop;
  return ok;
}

/* Hands the whole lines [data, data+len) to the jobs (their input in @buf, freed once
 * taken, or NULL), then writes the oldest decisions while more than @keep are queued. */
static gboolean
ahead_submit(RegBatch *batch, Ahead *q, const char *data, size_t len, char *buf, guint keep,
             guint64 *line, guint64 *errors)
{
  guint64 n;
  q->t[q->n] = reg_batch_submit(batch, data, len, *line + 1, &n);
  q->buf[q->n] = buf;
  q->at[q->n++] = data;
  *line += n;
  return ahead_take(batch, q, keep, errors);
}

/* Decides [data, data+len) here, after writing everything queued before it: for lines that
 * may be longer than --max-line (decide_lines answers those), which wait their turn. */
static gboolean
decide_in_turn(RegBatch *batch, Ahead *q, const char *data, size_t len, GString *out,
               const EvalOptions *o, guint64 *line, guint64 *errors)
{
  gboolean ok = ahead_take(batch, q, 0, errors);
  decide_lines(batch, data, len, out, o, line, errors);
  ok = ok && flush(out, o);
  g_string_truncate(out, 0);
  return ok;
}

/*
 * Decides a regular file through a read-only mapping (no copy into a buffer). With more
 * than one job, the batch's threads decide the next chunk while this thread writes the
 * decisions of the one before, so they never wait for the writing, nor for each other
 * at a chunk's end. (Not with --archive, which records each chunk as it is decided, nor
 * for a chunk that may hold a line longer than --max-line: that one waits its turn.)
 */
static gboolean
eval_mapped(RegBatch *batch, int fd, size_t size, const EvalOptions *o, guint64 *line,
            guint64 *errors)
{
  const char *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED)
    return FALSE;
  madvise((void *) data, size, MADV_SEQUENTIAL);
  GString *out = g_string_sized_new(CHUNK);
  gboolean ok = TRUE;
  Ahead q = { .n = 0 }; /* a chunk being decided in the background */
  size_t pos = 0, released = 0, page = (size_t) sysconf(_SC_PAGESIZE);
  while (pos < size && ok) {
    /* about CHUNK bytes of whole lines at a time; a line longer than the limit gets an error */
    size_t upto = pos + CHUNK < size ? pos + CHUNK : size;
    const char *nl = upto < size ? memchr(data + upto, '\n', size - upto) : NULL;
    size_t end = upto < size ? (nl ? (size_t) (nl - data) + 1 : size) : size;
    if (o->ahead && end - pos <= o->max_line) {
      ok = ahead_submit(batch, &q, data + pos, end - pos, NULL, 1, line, errors);
    } else {
      ok = decide_in_turn(batch, &q, data + pos, end - pos, out, o, line, errors);
    }
    pos = end;
    /* Give back the pages decided so far: the mapping stays, but resident memory stays
     * flat however large the file is. */
    size_t done = (q.n ? (size_t) (q.at[0] - data) : pos) & ~(page - 1);
    if (done > released) {
      madvise((void *) (data + released), done - released, MADV_DONTNEED);
      released = done;
    }
  }
  /* (taken even after a write error: its lines are being read from the mapping) */
  gboolean last = ahead_take(batch, &q, 0, errors);
  ok = ok && last;
  g_string_free(out, TRUE);
  munmap((void *) data, size);
  return ok;
}

/*
 * Of the @len bytes in @buf: where the whole lines start (past the rest of a line being
 * skipped, when *@skipping) and where they end (the partial last line stays, unless @eof);
 * FALSE when all of it is the skipped line.
 */
static gboolean
whole_lines(const char *buf, gsize len, gboolean eof, gboolean *skipping, gsize *start,
            gsize *upto)
{
  *start = 0;
  if (*skipping) {
    const char *nl = memchr(buf, '\n', len);
    if (!nl)
      return FALSE;
    *start = (gsize) (nl - buf) + 1;
    *skipping = FALSE;
  }
  const char *last_nl = len > *start ? memrchr(buf + *start, '\n', len - *start) : NULL;
  *upto = eof ? len : (last_nl ? (gsize) (last_nl - buf) + 1 : *start);
  return TRUE;
}

/* Whether a read of @fd would return at once (data, end of file or an error). */
static gboolean
input_ready(int fd)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  return poll(&pfd, 1, 0) != 0;
}

/* The stream buffer is full (*@len == *@cap): grows it, up to room for a line of exactly
 * --max-line bytes and its newline; past that, the line is longer than the limit: answers it
 * with an error line in @out and skips to its end. TRUE when it wrote that answer. */
static gboolean
buffer_full(char **buf, gsize *cap, gsize *len, gboolean *skipping, GString *out,
            const EvalOptions *o, guint64 *line, guint64 *errors)
{
  if (*cap <= o->max_line) {
    *cap = *cap * 2 > o->max_line + 1 ? o->max_line + 1 : *cap * 2;
    *buf = g_realloc(*buf, *cap);
    return FALSE;
  }
  long_line_error(out, *line + 1, o);
  (*line)++;
  (*errors)++;
  *len = 0;
  *skipping = TRUE;
  return TRUE;
}

/* Decides one input stream; returns FALSE on a read or write error. */
static gboolean
eval_fd(RegBatch *batch, int fd, const EvalOptions *o, guint64 *line, guint64 *errors)
{
  gsize cap = CHUNK, len = 0;
  char *buf = g_malloc(cap);
  GString *out = g_string_sized_new(CHUNK);
  gboolean ok = TRUE, eof = FALSE, skipping = FALSE;
  while (!eof) {
    if (len == cap)
      buffer_full(&buf, &cap, &len, &skipping, out, o, line, errors);
    ssize_t r = read(fd, buf + len, cap - len);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      ok = FALSE;
      break;
    }
    if (r == 0)
      eof = TRUE;
    len += (gsize) r;
    /* decide the complete lines; keep the partial last one */
    gsize start, upto;
    if (!whole_lines(buf, len, eof, &skipping, &start, &upto)) {
      len = 0;
      continue;
    }
    /* whole lines can be longer than the limit too when it is below the buffer's size */
    if (upto > start)
      decide_lines(batch, buf + start, upto - start, out, o, line, errors);
    memmove(buf, buf + upto, len - upto);
    len -= upto;
    /* written in large pieces, but not kept while waiting for more input (a host writing
     * a line and waiting for its decision) */
    if (out->len >= CHUNK / 2 || eof || (out->len > 0 && !input_ready(fd))) {
      if (!flush(out, o)) {
        ok = FALSE;
        break;
      }
      g_string_truncate(out, 0);
    }
  }
  g_free(buf);
  g_string_free(out, TRUE);
  return ok;
}

/*
 * eval_fd with more than one job (and no --archive): the input is read into buffers of
 * CHUNK bytes, each handed whole to the batch's jobs (reg_batch_submit) while the next is
 * read and the one before is written. A buffer that may hold a line longer than --max-line,
 * and a line longer than the buffer, wait until everything before them is written.
 */
static gboolean
eval_fd_ahead(RegBatch *batch, int fd, const EvalOptions *o, guint64 *line, guint64 *errors)
{
  Ahead q = { .n = 0 };
  gsize cap = CHUNK, len = 0;
  char *buf = g_malloc(cap);
  GString *out = g_string_sized_new(1024);
  gboolean ok = TRUE, eof = FALSE, skipping = FALSE;
  while (!eof && ok) {
    if (len == cap) {
      /* (the buffer is not handed out yet, so it may move; a line too long is answered in
       * its place, after what was queued before it) */
      if (cap > o->max_line)
        ok = ahead_take(batch, &q, 0, errors);
      if (buffer_full(&buf, &cap, &len, &skipping, out, o, line, errors)) {
        ok = ok && flush(out, o);
        g_string_truncate(out, 0);
      }
    }
    /* fill the buffer: a pipe gives a little at a time; but when nothing more is there yet
     * (a host writing a line and waiting for its decision), decide what there is */
    for (gboolean first = TRUE; len < cap; first = FALSE) {
      gboolean ready = input_ready(fd);
      if (!first && !ready)
        break;
      if (!ready && q.n > 0) {
        /* about to wait for input: first answer what has been decided */
        gboolean w = ahead_take(batch, &q, 0, errors);
        ok = ok && w;
      }
      ssize_t r = read(fd, buf + len, cap - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        ok = FALSE;
      if (r <= 0) {
        eof = TRUE;
        break;
      }
      len += (gsize) r;
    }
    if (!ok)
      break;
    gsize start, upto;
    if (!whole_lines(buf, len, eof, &skipping, &start, &upto)) {
      len = 0;
      continue;
    }
    if (upto > start && upto - start <= o->max_line) {
      /* whole lines, none too long: to the jobs, with the buffer; the partial last line
       * starts the next buffer */
      char *next = g_malloc(cap);
      memcpy(next, buf + upto, len - upto);
      gboolean w = ahead_submit(batch, &q, buf + start, upto - start, buf, AHEAD, line, errors);
      ok = ok && w;
      buf = next;
    } else {
      if (upto > start) {
        /* lines that may be longer than the limit: their turn comes after the others */
        gboolean w = decide_in_turn(batch, &q, buf + start, upto - start, out, o, line, errors);
        ok = ok && w;
      }
      memmove(buf, buf + upto, len - upto);
    }
    len -= upto;
  }
  gboolean w = ahead_take(batch, &q, 0, errors);
  g_free(buf);
  g_string_free(out, TRUE);
  return ok && w;
}

/* Decides a stream (not a mapped file): read ahead for the jobs when there are several. */
static gboolean
eval_stream(RegBatch *batch, int fd, const EvalOptions *o, guint64 *line, guint64 *errors)
{
  return o->ahead ? eval_fd_ahead(batch, fd, o, line, errors) : eval_fd(batch, fd, o, line, errors);
}

int
regel_eval(int argc, char **argv)
{
  EvalOptions o = { 0 };
  o.jobs = 1;
  o.max_line = (gsize) 64 << 20;
  GPtrArray *files = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define OPT(name) (strcmp(a, name) == 0 && i + 1 < argc && (val = argv[++i]) != NULL)
    if (strcmp(a, "--help") == 0) {
      g_ptr_array_unref(files);
      return usage(stdout, REGEL_OK);
    } else if (OPT("--rules"))
      o.rules = val;
    else if (OPT("--as-of"))
      o.as_of = val;
    else if (OPT("--view"))
      o.view = val;
    else if (OPT("--jobs"))
      o.jobs = (guint) g_ascii_strtoull(val, NULL, 10);
    else if (OPT("--budget"))
      o.budget = g_ascii_strtoull(val, NULL, 10);
    else if (OPT("--max-line"))
      o.max_line = (gsize) g_ascii_strtoull(val, NULL, 10);
    else if (OPT("--memory-limit"))
      o.memory_limit = (gsize) g_ascii_strtoull(val, NULL, 10);
    else if (OPT("--archive"))
      o.archive_path = val;
    else if (OPT("--coverage"))
      o.coverage_path = val;
    else if (strcmp(a, "--archive-inputs=hash-only") == 0)
      o.archive_hash_only = TRUE;
    else if (strcmp(a, "--archive-inputs=full") == 0)
      o.archive_hash_only = FALSE;
    else if (strcmp(a, "--public") == 0)
      o.public_view = TRUE;
    else if (strcmp(a, "--explain") == 0 || strcmp(a, "--explain=trace") == 0)
      o.explain = REG_EXPLAIN_TRACE;
    else if (strcmp(a, "--explain=leraar") == 0 || strcmp(a, "--explain=teacher") == 0)
      o.explain = REG_EXPLAIN_TEXTS;
    else if (a[0] == '-' && a[1] == '-') {
      fprintf(stderr, "regel eval: unknown option %s\n", a);
      g_ptr_array_unref(files);
      return usage(stderr, REGEL_USAGE);
    } else
      g_ptr_array_add(files, (gpointer) a);
#undef OPT
  }
  if (!o.rules || o.jobs == 0 || o.jobs > 256 || o.max_line < 1024 ||
      (o.coverage_path && o.explain)) {
    if (o.coverage_path && o.explain)
      fprintf(stderr, "regel eval: --coverage and --explain cannot be combined\n");
    g_ptr_array_unref(files);
    return usage(stderr, REGEL_USAGE);
  }

  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) program = regel_load_rules(o.rules, &error);
  if (!program) {
    fprintf(stderr, "regel eval: %s\n", error->message);
    g_ptr_array_unref(files);
    return REGEL_USAGE;
  }
  g_autoptr(RegBatch) batch = reg_batch_new(program, o.jobs);
  for (guint j = 0; j < reg_batch_get_jobs(batch); j++) {
    RegEvaluator *ev = reg_batch_get_evaluator(batch, j);
    if ((o.as_of && !reg_evaluator_set_as_of(ev, o.as_of, &error)) ||
        (o.view && !reg_evaluator_set_view(ev, o.view, &error)) ||
        (o.public_view && !reg_evaluator_set_view(ev, "openbaar", NULL) &&
         !reg_evaluator_set_view(ev, "public", &error))) {
      fprintf(stderr, "regel eval: %s\n", error->message);
      g_ptr_array_unref(files);
      return REGEL_USAGE;
    }
    if (o.public_view)
      reg_evaluator_set_audit_fields(ev, FALSE);
    if (o.budget)
      reg_evaluator_set_budget(ev, o.budget);
    if (o.memory_limit)
      reg_evaluator_set_memory_limit(ev, o.memory_limit);
    if (o.explain)
      reg_evaluator_set_explain_style(ev, o.explain);
  }
  /* one coverage per job (the hooks are not shared between threads), merged at the end */
  guint njobs = reg_batch_get_jobs(batch);
  RegCoverage **cov = o.coverage_path ? g_new0(RegCoverage *, njobs) : NULL;
  for (guint j = 0; cov && j < njobs; j++) {
    cov[j] = reg_coverage_new(program);
    reg_evaluator_set_trace(reg_batch_get_evaluator(batch, j), reg_coverage_hooks(cov[j]));
  }

  if (o.archive_path) {
    RegelArchiveRun run = { o.as_of, o.view, o.public_view, o.explain, o.archive_hash_only };
    if (!(o.archive = regel_archive_open(o.archive_path, program, &run, &error))) {
      fprintf(stderr, "regel eval: archive %s\n", error->message);
      g_ptr_array_unref(files);
      return REGEL_USAGE;
    }
  }

  guint64 line = 0, errors = 0;
  gboolean ok = TRUE;
  o.ahead = reg_batch_get_jobs(batch) > 1 && !o.archive;
  if (files->len == 0) {
    ok = eval_stream(batch, STDIN_FILENO, &o, &line, &errors);
  } else {
    for (guint i = 0; ok && i < files->len; i++) {
      const char *path = g_ptr_array_index(files, i);
      int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
      if (fd < 0) {
        fprintf(stderr, "regel eval: %s: %s\n", path, g_strerror(errno));
        g_ptr_array_unref(files);
        regel_archive_close(o.archive);
        return REGEL_USAGE;
      }
      struct stat st;
      if (fd != STDIN_FILENO && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        ok = eval_mapped(batch, fd, (size_t) st.st_size, &o, &line, &errors);
      else
        ok = eval_stream(batch, fd, &o, &line, &errors);
      if (fd != STDIN_FILENO)
        close(fd);
    }
  }
  g_ptr_array_unref(files);
  if (cov) {
    for (guint j = 1; j < njobs; j++)
      reg_coverage_merge(cov[0], cov[j]);
    GString *report = g_string_new(NULL);
    g_string_append_printf(report, "portfolios: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
                                    " with a data error)\n", line, errors);
    reg_coverage_report(cov[0], report, FALSE);
    gboolean written = strcmp(o.coverage_path, "-") == 0
                         ? (fputs(report->str, stderr), TRUE)
                         : g_file_set_contents(o.coverage_path, report->str, (gssize) report->len,
                                               &error);
    g_string_free(report, TRUE);
    for (guint j = 0; j < njobs; j++) {
      reg_evaluator_set_trace(reg_batch_get_evaluator(batch, j), NULL);
      reg_coverage_free(cov[j]);
    }
    g_free(cov);
    if (!written) {
      fprintf(stderr, "regel eval: coverage report: %s\n", error->message);
      regel_archive_close(o.archive);
      return REGEL_USAGE;
    }
  }
  if (!regel_archive_close(o.archive))
    return REGEL_USAGE;
  if (!ok) {
    fprintf(stderr, "regel eval: read or write error: %s\n", g_strerror(errno));
    return REGEL_USAGE;
  }
  return errors ? REGEL_FAIL : REGEL_OK;
}
