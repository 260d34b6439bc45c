/* cmd-audit.c: `regel audit`: verifies an archive's hash chain and replays its decisions. */
#include <stdarg.h>
#include <string.h>

#include "archive.h"
#include "regel.h"
#include "replay.h"
#include "sha256-private.h"

#define MAX_SHIFT 16         /* a row whose hash fails is tried at seq +- this much */
#define MAX_SEARCHED 100000  /* rows whose original seq is searched for */

typedef enum {
  ROW_INTACT, /* its hash covers its fields at its seq */
  ROW_MOVED,  /* its hash covers its fields at another seq (orig) */
  ROW_EDITED, /* its hash covers nothing found */
} RowState;

typedef struct {
  gint64 seq;
  gint64 orig; /* the seq its hash was made for */
  char prev[65];
  char hash[65];
  RowState state;
} Row;

typedef struct {
  const char *path;
  sqlite3 *db;
  guint64 problems;
  GHashTable *programs;   /* sha256 -> RegProgram, for criteria whose bytes are intact */
  GHashTable *bad_inputs; /* sha256 of inputs whose text does not match */
  GHashTable *redeciders; /* "sha256|view|public|explain" -> RegelRedecider */
  GHashTable *unreplayable; /* keys as above, reported as unusable */
  RegelInputs *inputs;    /* --input, or NULL */
} Audit;

static int
usage(FILE *out, int code)
{
  fprintf(out,
          "usage: regel audit FILE.db [--teacher ID] [--since DATE] [--input FILE...]\n"
          "  Verifies the hash chain of a decision archive (written by `regel eval\n"
          "  --archive`) and reports each row that was edited, deleted, inserted or\n"
          "  reordered; checks the archived criteria and inputs against their SHA-256;\n"
          "  then decides every decision again (or those of teacher ID, or as of DATE\n"
          "  or later) from the archived criteria and input, as of its recorded as_of,\n"
          "  and reports every difference. Inputs archived as hashes only are read\n"
          "  from the --input FILEs. Exit 0 when all is intact, 1 when anything is off,\n"
          "  2 on usage or an unreadable archive.\n");
  return code;
}

G_GNUC_PRINTF(2, 3)
static void
problem(Audit *au, const char *fmt, ...)
{
  va_list ap;
  printf("%s: ", au->path);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  au->problems++;
}

/* "seq N (teacher T)" for a report; the teacher read again from the archive. */
static char *
row_name(Audit *au, gint64 seq)
{
  sqlite3_stmt *st;
  char *teacher = NULL;
  if (sqlite3_prepare_v2(au->db, "SELECT teacher FROM decisions WHERE seq = ?", -1, &st, NULL) ==
      SQLITE_OK) {
    sqlite3_bind_int64(st, 1, seq);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      teacher = g_strdup((const char *) sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  char *s = teacher ? g_strdup_printf("seq %" G_GINT64_FORMAT " (teacher %s)", seq, teacher)
                    : g_strdup_printf("seq %" G_GINT64_FORMAT, seq);
  g_free(teacher);
  return s;
}

static char *
range(gint64 a, gint64 b)
{
  return a == b ? g_strdup_printf("seq %" G_GINT64_FORMAT, a)
                : g_strdup_printf("seq %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, a, b);
}

static const char *
meta(Audit *au, const char *key, char *buf, gsize size)
{
  sqlite3_stmt *st;
  const char *v = NULL;
  if (sqlite3_prepare_v2(au->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) ==
      SQLITE_OK) {
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      g_strlcpy(buf, (const char *) sqlite3_column_text(st, 0), size);
      v = buf;
    }
    sqlite3_finalize(st);
  }
  return v;
}

/* A statement over the archive; NULL (which sqlite3_step() refuses) after reporting why not. */
static sqlite3_stmt *
prepare(Audit *au, const char *sql)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(au->db, sql, -1, &st, NULL) != SQLITE_OK)
    problem(au, "cannot be read: %s", sqlite3_errmsg(au->db));
  return st;
}

/* ---- Content-addressed tables ---- */

static void
sha256_hex(const void *data, gsize len, char out[65])
{
  uint8_t d[REG_SHA256_LEN];
  reg_sha256(data, len, d);
  reg_sha256_hex(d, out);
}

static void
check_criteria(Audit *au)
{
  sqlite3_stmt *st;
  st = prepare(au, "SELECT sha256, bytes FROM criteria");
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *key = (const char *) sqlite3_column_text(st, 0);
    const void *bytes = sqlite3_column_blob(st, 1);
    gsize n = (gsize) sqlite3_column_bytes(st, 1);
    char sha[65];
    sha256_hex(bytes, n, sha);
    if (!key || strcmp(sha, key) != 0) {
      problem(au, "criteria %s: edited: their bytes have SHA-256 %s", key ? key : "(null)", sha);
      continue;
    }
    g_autoptr(GBytes) b = g_bytes_new(bytes, n);
    g_autoptr(GError) error = NULL;
    RegProgram *p = reg_program_new_from_bytes(b, &error);
    if (!p) {
      problem(au, "criteria %s: cannot be loaded: %s", key, error->message);
      continue;
    }
    g_hash_table_insert(au->programs, g_strdup(key), p);
  }
  sqlite3_finalize(st);
}

static void
check_inputs(Audit *au)
{
  sqlite3_stmt *st;
  st = prepare(au, "SELECT sha256, line FROM inputs WHERE line IS NOT NULL");
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *key = (const char *) sqlite3_column_text(st, 0);
    const char *line = (const char *) sqlite3_column_text(st, 1);
    char sha[65];
    sha256_hex(line, (gsize) sqlite3_column_bytes(st, 1), sha);
    if (!key || strcmp(sha, key) != 0) {
      problem(au, "input %s: edited: its text has SHA-256 %s", key ? key : "(null)", sha);
      if (key)
        g_hash_table_add(au->bad_inputs, g_strdup(key));
    }
  }
  sqlite3_finalize(st);
}

/* ---- The hash chain ---- */

static const char row_columns[] =
  "seq, run, line, teacher, as_of, criteria_sha256, input_sha256, decision, prev_hash, hash";

static void
read_row(sqlite3_stmt *st, RegelArchiveRow *r)
{
#define TEXT(i, f)                                                                                 \
  r->f = (const char *) sqlite3_column_text(st, i);                                                \
  r->f##_len = (gsize) sqlite3_column_bytes(st, i)
  r->seq = sqlite3_column_int64(st, 0);
  r->run = sqlite3_column_int64(st, 1);
  r->line = sqlite3_column_int64(st, 2);
  TEXT(3, teacher);
  TEXT(4, as_of);
  TEXT(5, criteria_sha256);
  TEXT(6, input_sha256);
  TEXT(7, decision);
  if (!r->decision)
    r->decision = "";
#undef TEXT
}

/* Whether @r hashed as seq @seq after @prev gives @hash. */
static gboolean
hashes_at(RegelArchiveRow *r, gint64 seq, const char *prev, gsize prev_len, const char *hash)
{
  char h[65];
  gint64 keep = r->seq;
  r->seq = seq;
  regel_archive_row_hash(r, prev, prev_len, h);
  r->seq = keep;
  return hash && strcmp(h, hash) == 0;
}

/* Tries the seq values a moved row may have had; TRUE with row->orig set when one fits. */
static gboolean
find_orig(RegelArchiveRow *r, const char *prev, gsize prev_len, const char *hash, gint64 hint,
          Row *row)
{
  if (hint > 0 && hint != r->seq && hashes_at(r, hint, prev, prev_len, hash)) {
    row->orig = hint;
    return TRUE;
  }
  for (gint64 d = 1; d <= MAX_SHIFT; d++)
    for (int sign = -1; sign <= 1; sign += 2) {
      gint64 s = r->seq + sign * d;
      if (s > 0 && hashes_at(r, s, prev, prev_len, hash)) {
        row->orig = s;
        return TRUE;
      }
    }
  return FALSE;
}

static gint
by_orig(gconstpointer a, gconstpointer b)
{
  const Row *x = *(Row *const *) a, *y = *(Row *const *) b;
  if (x->orig != y->orig)
    return x->orig < y->orig ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reports rows moved from their place, runs of them with the same shift as one line. */
static void
report_moved(Audit *au, GArray *rows)
{
  for (guint i = 0; i < rows->len;) {
    Row *r = &g_array_index(rows, Row, i);
    if (r->state != ROW_MOVED) {
      i++;
      continue;
    }
    guint j = i + 1;
    while (j < rows->len && g_array_index(rows, Row, j).state == ROW_MOVED &&
           g_array_index(rows, Row, j).seq == g_array_index(rows, Row, j - 1).seq + 1 &&
           g_array_index(rows, Row, j).orig == g_array_index(rows, Row, j - 1).orig + 1)
      j++;
    Row *last = &g_array_index(rows, Row, j - 1);
    g_autofree char *now = i + 1 == j ? row_name(au, r->seq) : range(r->seq, last->seq);
    g_autofree char *was = range(r->orig, last->orig);
    problem(au, "%s: reordered: recorded as %s (rows were moved, or renumbered around an "
            "inserted or deleted row)", now, was);
    i = j;
  }
}

/* Verifies the chain; returns the number of rows. */
static gint64
check_chain(Audit *au, gint64 *head_seq_out, char head_hash_out[65])
{
  char buf[128];
  const char *genesis = meta(au, "genesis", buf, sizeof buf);
  if (!genesis || strcmp(genesis, REGEL_ARCHIVE_GENESIS) != 0)
    problem(au, "meta: the genesis value was changed (%s)", genesis ? genesis : "absent");
  char head_hash[128] = "";
  const char *hs = meta(au, "head_seq", buf, sizeof buf);
  gint64 head_seq = hs ? g_ascii_strtoll(hs, NULL, 10) : -1;
  if (!meta(au, "head_hash", head_hash, sizeof head_hash) || head_seq < 0) {
    problem(au, "meta: the head of the chain is not recorded");
    head_seq = -1;
  }

  /* every row: does its hash cover its fields at its place? */
  GArray *rows = g_array_new(FALSE, FALSE, sizeof(Row));
  g_autofree char *sql = g_strdup_printf("SELECT %s FROM decisions ORDER BY seq", row_columns);
  sqlite3_stmt *st;
  st = prepare(au, sql);
  while (sqlite3_step(st) == SQLITE_ROW) {
    RegelArchiveRow r;
    read_row(st, &r);
    const char *prev = (const char *) sqlite3_column_text(st, 8);
    const char *hash = (const char *) sqlite3_column_text(st, 9);
    gsize prev_len = (gsize) sqlite3_column_bytes(st, 8);
    Row row = { .seq = r.seq, .orig = r.seq, .state = ROW_INTACT };
    g_strlcpy(row.prev, prev ? prev : "", sizeof row.prev);
    g_strlcpy(row.hash, hash ? hash : "", sizeof row.hash);
    if (!hashes_at(&r, r.seq, prev, prev_len, hash)) {
      gint64 hint = prev && strcmp(prev, REGEL_ARCHIVE_GENESIS) == 0 ? 1 : 0;
      row.state = find_orig(&r, prev, prev_len, hash, hint, &row) ? ROW_MOVED : ROW_EDITED;
    }
    g_array_append_val(rows, row);
  }
  sqlite3_finalize(st);
  gint64 n = rows->len;

  /* a row whose hash fits nowhere near: try the place after the row it chains from */
  GHashTable *by_hash = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert(by_hash, g_array_index(rows, Row, i).hash, &g_array_index(rows, Row, i));
  g_free(sql);
  sql = g_strdup_printf("SELECT %s FROM decisions WHERE seq = ?", row_columns);
  st = prepare(au, sql);
  guint searched = 0;
  for (guint i = 0; i < rows->len && searched < MAX_SEARCHED; i++) {
    Row *row = &g_array_index(rows, Row, i);
    Row *before = g_hash_table_lookup(by_hash, row->prev);
    if (row->state != ROW_EDITED || !before || before == row)
      continue;
    searched++;
    sqlite3_bind_int64(st, 1, row->seq);
    if (sqlite3_step(st) == SQLITE_ROW) {
      RegelArchiveRow r;
      read_row(st, &r);
      if (hashes_at(&r, before->orig + 1, row->prev, strlen(row->prev), row->hash)) {
        row->orig = before->orig + 1;
        row->state = ROW_MOVED;
      }
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  g_hash_table_destroy(by_hash);

  /* rows past the head that the last commit recorded were not written by `regel eval` */
  if (head_seq < 0)
    head_seq = n ? g_array_index(rows, Row, n - 1).orig : 0;
  GPtrArray *order = g_ptr_array_new();
  for (guint i = 0; i < rows->len; i++) {
    Row *row = &g_array_index(rows, Row, i);
    if (row->orig > head_seq) {
      g_autofree char *name = row_name(au, row->seq);
      if (row->state == ROW_MOVED)
        problem(au, "%s: inserted: a copy of the row whose place in the chain is seq %"
                G_GINT64_FORMAT ", past the head (seq %" G_GINT64_FORMAT
                ") that the last commit recorded", name, row->orig, head_seq);
      else
        problem(au, "%s: inserted: it is past the head of the chain (seq %" G_GINT64_FORMAT
                ") that the last commit recorded", name, head_seq);
      row->state = ROW_INTACT; /* reported */
    } else {
      g_ptr_array_add(order, row);
    }
  }

  /* walk the rows in the order their hashes give them */
  GHashTable *prevs = g_hash_table_new(g_str_hash, g_str_equal); /* hashes some row chains from */
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add(prevs, g_array_index(rows, Row, i).prev);
  g_ptr_array_sort(order, by_orig);
  const char *expected = REGEL_ARCHIVE_GENESIS;
  gint64 last = 0;
  Row *last_row = NULL;
  for (guint i = 0; i < order->len;) {
    gint64 s = ((Row *) order->pdata[i])->orig;
    guint j = i;
    while (j < order->len && ((Row *) order->pdata[j])->orig == s)
      j++;
    if (s > last + 1) {
      g_autofree char *gone = range(last + 1, s - 1);
      problem(au, "%s: deleted: the chain goes on at seq %" G_GINT64_FORMAT " without %s", gone,
              ((Row *) order->pdata[i])->seq, s - 1 > last + 1 ? "them" : "it");
    }
    /* of rows claiming one place, the one that chains on is the original */
    Row *pick = NULL;
    for (int pass = 0; pass < 5 && !pick; pass++)
      for (guint k = i; k < j && !pick; k++) {
        Row *c = order->pdata[k];
        gboolean authentic = c->state != ROW_EDITED, links = strcmp(c->prev, expected) == 0;
        gboolean followed =
          g_hash_table_contains(prevs, c->hash) || strcmp(c->hash, head_hash) == 0;
        if ((pass == 0 && authentic && links && followed) || (pass == 1 && authentic && links) ||
            (pass == 2 && authentic) || (pass == 3 && links) || pass == 4)
          pick = c;
      }
    for (guint k = i; k < j; k++) {
      Row *c = order->pdata[k];
      if (c == pick)
        continue;
      g_autofree char *name = row_name(au, c->seq);
      if (c->state == ROW_MOVED)
        problem(au, "%s: inserted: a copy of the row whose place in the chain is seq %"
                G_GINT64_FORMAT " (seq %" G_GINT64_FORMAT " holds it)", name, s, pick->seq);
      else
        problem(au, "%s: inserted: it is not part of the chain (its place, seq %" G_GINT64_FORMAT
                ", belongs to seq %" G_GINT64_FORMAT ")", name, s, pick->seq);
      c->state = ROW_INTACT; /* reported */
    }
    if (pick->state == ROW_EDITED) {
      g_autofree char *name = row_name(au, pick->seq);
      problem(au, "%s: edited: its fields do not match its hash", name);
    } else if (strcmp(pick->prev, expected) != 0 && s == last + 1) {
      if (!last_row) {
        g_autofree char *name = row_name(au, pick->seq);
        problem(au, "%s: the first row does not chain from the genesis value", name);
      } else if (last_row->state != ROW_EDITED) {
        g_autofree char *name = row_name(au, last_row->seq);
        problem(au, "%s: replaced: the next row does not chain from it (it was edited and its "
                "hash recomputed, or another row was put in its place)", name);
      }
    }
    expected = pick->hash;
    last = s;
    last_row = pick;
    i = j;
  }
  if (head_seq > last && last_row && strcmp(last_row->hash, head_hash) == 0) {
    problem(au, "meta: head_seq was changed to %" G_GINT64_FORMAT " (the chain's head, seq %"
            G_GINT64_FORMAT ", is what the last commit recorded)", head_seq, last);
  } else if (head_seq > last) {
    g_autofree char *gone = range(last + 1, head_seq);
    problem(au, "%s: deleted: the last commit recorded the chain up to seq %" G_GINT64_FORMAT,
            gone, head_seq);
  } else if (last_row && head_hash[0] && strcmp(last_row->hash, head_hash) != 0) {
    g_autofree char *name = row_name(au, last_row->seq);
    problem(au, "%s: replaced: its hash is not the head the last commit recorded", name);
  }
  report_moved(au, rows);
  g_hash_table_destroy(prevs);
  *head_seq_out = last;
  g_strlcpy(head_hash_out, last_row ? last_row->hash : REGEL_ARCHIVE_GENESIS, 65);
  g_ptr_array_free(order, TRUE);
  g_array_free(rows, TRUE);
  return n;
}

/* ---- Replaying ---- */

static RegelRedecider *
redecider_for(Audit *au, const char *criteria, const char *view, gboolean public_view,
              RegExplainStyle explain, GError **error)
{
  g_autofree char *key =
    g_strdup_printf("%s|%s|%d|%d", criteria, view ? view : "", public_view, explain);
  RegelRedecider *r = g_hash_table_lookup(au->redeciders, key);
  if (r || g_hash_table_contains(au->unreplayable, key))
    return r; /* NULL without @error: reported before */
  RegProgram *p = g_hash_table_lookup(au->programs, criteria);
  if ((int) explain < REG_EXPLAIN_NONE || explain > REG_EXPLAIN_TEXTS)
    g_set_error(error, REGEL_ARCHIVE_ERROR, 0, "its run has an unknown explain style %d",
                (int) explain);
  else if (!p)
    g_set_error(error, REGEL_ARCHIVE_ERROR, 0, "criteria %s are not in the archive (or broken)",
                criteria);
  else
    r = regel_redecider_new(p, view, public_view, explain, error);
  if (r)
    g_hash_table_insert(au->redeciders, g_steal_pointer(&key), r);
  else
    g_hash_table_add(au->unreplayable, g_steal_pointer(&key));
  return r;
}

static void
replay_rows(Audit *au, const char *teacher, const char *since, guint64 *replayed,
            guint64 *identical, guint64 *not_replayed, guint64 *not_kept)
{
  const char *sql =
    "SELECT d.seq, d.run, d.line, d.teacher, d.as_of, d.criteria_sha256, d.input_sha256,"
    " d.decision, r.id, r.view, r.public, r.explain, i.sha256, i.line"
    " FROM decisions d LEFT JOIN runs r ON r.id = d.run"
    " LEFT JOIN inputs i ON i.sha256 = d.input_sha256"
    " WHERE (?1 IS NULL OR d.teacher = ?1) AND (?2 IS NULL OR d.as_of >= ?2) ORDER BY d.seq";
  sqlite3_stmt *st;
  st = prepare(au, sql);
  sqlite3_bind_text(st, 1, teacher, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
  g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func(g_free);
  while (sqlite3_step(st) == SQLITE_ROW) {
    RegelArchiveRow r;
    read_row(st, &r);
    g_autofree char *name = r.teacher ? g_strdup_printf("seq %" G_GINT64_FORMAT " (teacher %s)",
                                                        r.seq, r.teacher)
                                      : g_strdup_printf("seq %" G_GINT64_FORMAT, r.seq);
    if (!r.input_sha256) { /* a line over --max-line: its input was not kept */
      (*not_kept)++;
      continue;
    }
    if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
      problem(au, "%s: its run %" G_GINT64_FORMAT " is not in the archive", name, r.run);
      continue;
    }
    if (sqlite3_column_type(st, 12) == SQLITE_NULL) {
      problem(au, "%s: its input %s is not in the archive", name, r.input_sha256);
      continue;
    }
    if (g_hash_table_contains(au->bad_inputs, r.input_sha256))
      continue; /* reported already */
    const char *in = (const char *) sqlite3_column_text(st, 13);
    gsize ilen = (gsize) sqlite3_column_bytes(st, 13);
    if (!in && au->inputs) {
      guint64 n = regel_inputs_find(au->inputs, r.input_sha256);
      if (!n) {
        problem(au, "%s: portfolio missing: no line of --input has input_sha256 %s", name,
                r.input_sha256);
        continue;
      }
      regel_inputs_get(au->inputs, n, &in, &ilen);
    }
    if (!in) {
      (*not_replayed)++;
      continue;
    }
    const char *view = (const char *) sqlite3_column_text(st, 9);
    g_autoptr(GError) error = NULL;
    RegelRedecider *rd = redecider_for(au, r.criteria_sha256, view, sqlite3_column_int(st, 10),
                                       (RegExplainStyle) sqlite3_column_int(st, 11), &error);
    if (!rd) {
      if (error)
        problem(au, "%s and every later decision of its kind: cannot be replayed: %s", name,
                error->message);
      continue;
    }
    (*replayed)++;
    g_ptr_array_set_size(diffs, 0);
    g_autofree char *as_of = r.as_of ? g_strndup(r.as_of, r.as_of_len) : NULL;
    if (regel_redecide(rd, in, ilen, as_of, (guint64) r.line, r.decision, r.decision_len, diffs) ==
        0) {
      (*identical)++;
      continue;
    }
    for (guint i = 0; i < diffs->len; i++)
      problem(au, "%s: %s", name, (char *) diffs->pdata[i]);
  }
  sqlite3_finalize(st);
}

int
regel_audit(int argc, char **argv)
{
  const char *path = NULL, *teacher = NULL, *since = NULL;
  g_autoptr(GPtrArray) input_files = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define OPT(name) (strcmp(a, name) == 0 && i + 1 < argc && (val = argv[++i]) != NULL)
    if (strcmp(a, "--help") == 0)
      return usage(stdout, REGEL_OK);
    else if (OPT("--teacher"))
      teacher = val;
    else if (OPT("--since"))
      since = val;
    else if (OPT("--input"))
      g_ptr_array_add(input_files, (gpointer) val);
    else if (a[0] == '-') {
      fprintf(stderr, "regel audit: unknown option %s\n", a);
      return usage(stderr, REGEL_USAGE);
    } else if (!path)
      path = a;
    else
      return usage(stderr, REGEL_USAGE);
#undef OPT
  }
  if (!path)
    return usage(stderr, REGEL_USAGE);
  if (since && !(strlen(since) == 10 && since[4] == '-' && since[7] == '-')) {
    fprintf(stderr, "regel audit: --since %s: not a date (YYYY-MM-DD)\n", since);
    return REGEL_USAGE;
  }

  g_autoptr(GError) error = NULL;
  Audit au = { .path = path };
  g_autoptr(RegelInputs) inputs = NULL;
  if (input_files->len) {
    inputs = regel_inputs_new();
    for (guint i = 0; i < input_files->len; i++)
      if (!regel_inputs_add_file(inputs, input_files->pdata[i], &error)) {
        fprintf(stderr, "regel audit: %s\n", error->message);
        return REGEL_USAGE;
      }
    au.inputs = inputs;
  }
  au.db = regel_archive_open_read(path, &error);
  if (!au.db) {
    fprintf(stderr, "regel audit: %s\n", error->message);
    return REGEL_USAGE;
  }
  au.programs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) reg_program_unref);
  au.bad_inputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  au.unreplayable = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  au.redeciders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) regel_redecider_free);

  /* one read transaction: a consistent snapshot while `regel eval` may append */
  sqlite3_exec(au.db, "BEGIN", NULL, NULL, NULL);
  gint64 head = 0;
  char head_hash[65];
  gint64 n = check_chain(&au, &head, head_hash);
  guint64 chain_problems = au.problems;
  check_criteria(&au);
  check_inputs(&au);
  guint64 replayed = 0, identical = 0, not_replayed = 0, not_kept = 0;
  replay_rows(&au, teacher, since, &replayed, &identical, &not_replayed, &not_kept);
  sqlite3_exec(au.db, "COMMIT", NULL, NULL, NULL);

  printf("audit: %" G_GINT64_FORMAT " rows, chain %s; head seq %" G_GINT64_FORMAT " hash %s\n", n,
         chain_problems ? "broken" : "intact", head, head_hash);
  printf("audit: %" G_GUINT64_FORMAT " decisions replayed: %" G_GUINT64_FORMAT
         " identical, %" G_GUINT64_FORMAT " differ",
         replayed, identical, replayed - identical);
  if (not_replayed)
    printf("; %" G_GUINT64_FORMAT " not replayed (inputs kept as hashes only: give --input FILE)",
           not_replayed);
  if (not_kept)
    printf("; %" G_GUINT64_FORMAT " error lines of lines over --max-line (their inputs are"
           " not kept)", not_kept);
  printf("\naudit: %s\n", au.problems ? "problems found" : "all intact");
  g_hash_table_destroy(au.redeciders);
  g_hash_table_destroy(au.programs);
  g_hash_table_destroy(au.bad_inputs);
  g_hash_table_destroy(au.unreplayable);
  sqlite3_close(au.db);
  return au.problems ? REGEL_FAIL : REGEL_OK;
}
