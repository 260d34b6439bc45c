/* archive.c: the decision archive: its schema, appending hash-chained rows, opening for audit. */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "jsondiff.h"
#include "sha256-private.h"

G_DEFINE_QUARK(regel-archive-error-quark, regel_archive_error)

/* docs/archive.md describes every table and column. */
static const char schema_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
  "CREATE TABLE criteria (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL,\n"
  "                       bytes BLOB NOT NULL);\n"
  "CREATE TABLE inputs (sha256 TEXT PRIMARY KEY, line TEXT);\n"
  "CREATE TABLE runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL, engine TEXT NOT NULL,\n"
  "                   criteria_sha256 TEXT NOT NULL, as_of TEXT, view TEXT,\n"
  "                   public INTEGER NOT NULL, explain INTEGER NOT NULL, inputs TEXT NOT NULL);\n"
  "CREATE TABLE decisions (seq INTEGER PRIMARY KEY, run INTEGER NOT NULL, line INTEGER NOT NULL,\n"
  "                        teacher TEXT, as_of TEXT, criteria_sha256 TEXT NOT NULL,\n"
  "                        input_sha256 TEXT, decision TEXT NOT NULL,\n"
  "                        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);\n"
  "CREATE INDEX decisions_teacher ON decisions (teacher);\n"
  "INSERT INTO meta VALUES ('format', '1'), ('genesis', '" REGEL_ARCHIVE_GENESIS "'),\n"
  "                        ('head_seq', '0'), ('head_hash', '" REGEL_ARCHIVE_GENESIS "');\n";

struct _RegelArchive {
  sqlite3 *db;
  char *path;
  gint64 run;
  char criteria_sha256[65];
  char *as_of;
  gboolean hash_only;
  sqlite3_stmt *add_input;
  sqlite3_stmt *add_row;
  sqlite3_stmt *get_head;
  sqlite3_stmt *set_meta;
  gboolean in_txn;
  gint64 seq;          /* of the last row */
  char head_hash[65];  /* hash of the last row */
  gint64 line;         /* input lines of this run so far */
  char *failure;       /* the first error since the last commit */
};

/* ---- Hash chain ---- */

static void
put_u64(GString *b, guint64 v)
{
  char be[8];
  for (int i = 0; i < 8; i++)
    be[i] = (char) (v >> (56 - 8 * i));
  g_string_append_len(b, be, 8);
}

static void
put_text(GString *b, const char *s, gsize n)
{
  if (!s) {
    put_u64(b, G_MAXUINT64);
    return;
  }
  put_u64(b, n);
  g_string_append_len(b, s, (gssize) n);
}

void
regel_archive_row_hash(const RegelArchiveRow *r, const char *prev_hash, gsize prev_len,
                       char out[65])
{
  GString *b = g_string_sized_new(256 + r->decision_len);
  g_string_append_len(b, "regel-archive-1", 15);
  put_text(b, prev_hash, prev_len);
  put_u64(b, (guint64) r->seq);
  put_u64(b, (guint64) r->run);
  put_u64(b, (guint64) r->line);
  put_text(b, r->teacher, r->teacher_len);
  put_text(b, r->as_of, r->as_of_len);
  put_text(b, r->criteria_sha256, r->criteria_sha256_len);
  put_text(b, r->input_sha256, r->input_sha256_len);
  put_text(b, r->decision, r->decision_len);
  uint8_t digest[REG_SHA256_LEN];
  reg_sha256(b->str, b->len, digest);
  reg_sha256_hex(digest, out);
  g_string_free(b, TRUE);
}

/* ---- Writing ---- */

static gboolean
set_error(GError **error, sqlite3 *db, const char *what)
{
  g_set_error(error, REGEL_ARCHIVE_ERROR, sqlite3_errcode(db), "%s: %s", what, sqlite3_errmsg(db));
  return FALSE;
}

static gboolean
exec(sqlite3 *db, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    g_set_error(error, REGEL_ARCHIVE_ERROR, sqlite3_errcode(db), "%s", msg ? msg : "SQLite error");
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

static gint64
pragma_int(sqlite3 *db, const char *sql)
{
  sqlite3_stmt *st;
  gint64 v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Inside a transaction: creates the tables of a new file, or checks that an old file is one. */
static gboolean
ensure_schema(sqlite3 *db, GError **error)
{
  gint64 app = pragma_int(db, "PRAGMA application_id");
  if (app == REGEL_ARCHIVE_APPLICATION_ID) {
    if (pragma_int(db, "PRAGMA user_version") != REGEL_ARCHIVE_FORMAT) {
      g_set_error(error, REGEL_ARCHIVE_ERROR, SQLITE_MISMATCH,
                  "an archive of another format version");
      return FALSE;
    }
    return TRUE;
  }
  if (app != 0 || pragma_int(db, "SELECT count(*) FROM sqlite_schema") != 0) {
    g_set_error(error, REGEL_ARCHIVE_ERROR, SQLITE_MISMATCH,
                "not a decision archive (an SQLite database of something else)");
    return FALSE;
  }
  g_autofree char *pragmas =
    g_strdup_printf("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                    REGEL_ARCHIVE_APPLICATION_ID, REGEL_ARCHIVE_FORMAT);
  return exec(db, schema_sql, error) && exec(db, pragmas, error);
}

static gboolean
start_run(RegelArchive *a, RegProgram *program, const RegelArchiveRun *run, GError **error)
{
  sqlite3_stmt *st = NULL;
  g_autoptr(GBytes) bytes = reg_program_get_bytes(program);
  gsize n;
  const void *data = g_bytes_get_data(bytes, &n);
  const char *sql =
    "INSERT OR IGNORE INTO criteria (sha256, name, version, bytes) VALUES (?, ?, ?, ?)";
  if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
    return set_error(error, a->db, "storing the criteria");
  sqlite3_bind_text(st, 1, a->criteria_sha256, 64, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, reg_program_get_name(program), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, reg_program_get_version(program), -1, SQLITE_STATIC);
  sqlite3_bind_blob64(st, 4, data, n, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return set_error(error, a->db, "storing the criteria");

  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *started = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *engine = g_strdup_printf("libreg %s", reg_version_string());
  sql = "INSERT INTO runs (started, engine, criteria_sha256, as_of, view, public, explain, inputs)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
    return set_error(error, a->db, "starting a run");
  sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, engine, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, a->criteria_sha256, 64, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, run->as_of, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, run->view, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 6, run->public_view ? 1 : 0);
  sqlite3_bind_int(st, 7, (int) run->explain);
  sqlite3_bind_text(st, 8, run->hash_only ? "hash-only" : "full", -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return set_error(error, a->db, "starting a run");
  a->run = sqlite3_last_insert_rowid(a->db);
  return TRUE;
}

static void archive_free(RegelArchive *a);

RegelArchive *
regel_archive_open(const char *path, RegProgram *program, const RegelArchiveRun *run,
                   GError **error)
{
  RegelArchive *a = g_new0(RegelArchive, 1);
  a->path = g_strdup(path);
  a->as_of = g_strdup(run->as_of);
  a->hash_only = run->hash_only;
  g_strlcpy(a->criteria_sha256, reg_program_get_sha256(program), sizeof a->criteria_sha256);
  int rc = sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    set_error(error, a->db, path);
    archive_free(a);
    return NULL;
  }
  sqlite3_busy_timeout(a->db, 60000); /* another `regel eval` may be appending a chunk */
  /* WAL: readers (an audit) never block the writer; FULL: a commit survives a crash */
  gboolean ok = exec(a->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error) &&
                exec(a->db, "BEGIN IMMEDIATE", error) && ensure_schema(a->db, error) &&
                start_run(a, program, run, error) && exec(a->db, "COMMIT", error);
  if (ok) {
    const char *add_input =
      "INSERT INTO inputs (sha256, line) VALUES (?, ?) ON CONFLICT (sha256) DO UPDATE"
      " SET line = excluded.line WHERE inputs.line IS NULL AND excluded.line IS NOT NULL";
    const char *add_row =
      "INSERT INTO decisions (seq, run, line, teacher, as_of, criteria_sha256, input_sha256,"
      " decision, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    const char *get_head = "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1";
    const char *set_meta = "INSERT OR REPLACE INTO meta (key, value) VALUES"
                           " ('head_seq', ?), ('head_hash', ?)";
    ok = (sqlite3_prepare_v2(a->db, add_input, -1, &a->add_input, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2(a->db, add_row, -1, &a->add_row, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2(a->db, get_head, -1, &a->get_head, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2(a->db, set_meta, -1, &a->set_meta, NULL) == SQLITE_OK) ||
         set_error(error, a->db, "preparing statements");
  }
  if (!ok) {
    g_prefix_error(error, "%s: ", path);
    archive_free(a);
    return NULL;
  }
  return a;
}

static void
fail(RegelArchive *a, const char *what)
{
  if (!a->failure)
    a->failure = g_strdup_printf("%s: %s", what, sqlite3_errmsg(a->db));
}

/* Starts a chunk's transaction and reads the head of the chain (another run may have added). */
static gboolean
begin(RegelArchive *a)
{
  if (a->in_txn)
    return TRUE;
  if (sqlite3_exec(a->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
    fail(a, "beginning a transaction");
    return FALSE;
  }
  a->in_txn = TRUE;
  a->seq = 0;
  g_strlcpy(a->head_hash, REGEL_ARCHIVE_GENESIS, sizeof a->head_hash);
  int rc = sqlite3_step(a->get_head);
  if (rc == SQLITE_ROW) {
    a->seq = sqlite3_column_int64(a->get_head, 0);
    const char *h = (const char *) sqlite3_column_text(a->get_head, 1);
    g_strlcpy(a->head_hash, h ? h : "", sizeof a->head_hash);
  }
  sqlite3_reset(a->get_head);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    fail(a, "reading the head of the chain");
    return FALSE;
  }
  return TRUE;
}

/* Stores one decided line; @in is NULL when its input was not kept. */
static gboolean
add_one(RegelArchive *a, const char *in, gsize in_len, const char *out, gsize out_len)
{
  char input_sha256[65];
  if (in) {
    uint8_t digest[REG_SHA256_LEN];
    reg_sha256(in, in_len, digest);
    reg_sha256_hex(digest, input_sha256);
    sqlite3_bind_text(a->add_input, 1, input_sha256, 64, SQLITE_STATIC);
    if (a->hash_only)
      sqlite3_bind_null(a->add_input, 2);
    else
      sqlite3_bind_text64(a->add_input, 2, in, in_len, SQLITE_STATIC, SQLITE_UTF8);
    int rc = sqlite3_step(a->add_input);
    sqlite3_reset(a->add_input);
    if (rc != SQLITE_DONE) {
      fail(a, "storing an input");
      return FALSE;
    }
  }
  g_autofree char *teacher = regel_json_get_string(out, out_len, "teacher");
  g_autofree char *as_of = regel_json_get_string(out, out_len, "as_of");
  RegelArchiveRow row = {
    .seq = a->seq + 1,
    .run = a->run,
    .line = ++a->line,
    .teacher = teacher,
    .teacher_len = teacher ? strlen(teacher) : 0,
    .as_of = as_of ? as_of : a->as_of, /* an error line: the run's --as-of */
    .criteria_sha256 = a->criteria_sha256,
    .criteria_sha256_len = 64,
    .input_sha256 = in ? input_sha256 : NULL,
    .input_sha256_len = in ? 64 : 0,
    .decision = out,
    .decision_len = out_len,
  };
  row.as_of_len = row.as_of ? strlen(row.as_of) : 0;
  char hash[65];
  regel_archive_row_hash(&row, a->head_hash, strlen(a->head_hash), hash);
  sqlite3_stmt *st = a->add_row;
  sqlite3_bind_int64(st, 1, row.seq);
  sqlite3_bind_int64(st, 2, row.run);
  sqlite3_bind_int64(st, 3, row.line);
  sqlite3_bind_text(st, 4, row.teacher, (int) row.teacher_len, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, row.as_of, (int) row.as_of_len, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, row.criteria_sha256, 64, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, row.input_sha256, 64, SQLITE_STATIC);
  sqlite3_bind_text64(st, 8, out, out_len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text(st, 9, a->head_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 10, hash, 64, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) {
    fail(a, "storing a decision");
    return FALSE;
  }
  a->seq = row.seq;
  memcpy(a->head_hash, hash, sizeof hash);
  return TRUE;
}

/* The next line of [*p, end): its text without the newline; FALSE when none is left. */
static gboolean
next_line(const char **p, const char *end, const char **line, gsize *len)
{
  if (*p >= end)
    return FALSE;
  const char *nl = memchr(*p, '\n', (gsize) (end - *p));
  *line = *p;
  *len = nl ? (gsize) (nl - *p) : (gsize) (end - *p);
  *p = nl ? nl + 1 : end;
  return TRUE;
}

void
regel_archive_add(RegelArchive *a, const char *in, gsize in_len, const char *out, gsize out_len)
{
  if (a->failure || !begin(a))
    return;
  const char *ip = in, *iend = in ? in + in_len : NULL;
  const char *op = out, *oend = out + out_len;
  const char *ol, *il = NULL;
  gsize olen, ilen = 0;
  while (next_line(&op, oend, &ol, &olen)) {
    if (in && !next_line(&ip, iend, &il, &ilen)) {
      a->failure = g_strdup("more decisions than input lines (an internal error)");
      return;
    }
    if (!add_one(a, il, ilen, ol, olen))
      return;
    if (!in) /* one output line without its input */
      break;
  }
  if (in && next_line(&ip, iend, &il, &ilen))
    a->failure = g_strdup("more input lines than decisions (an internal error)");
}

gboolean
regel_archive_commit(RegelArchive *a)
{
  if (!a->failure && a->in_txn) {
    g_autofree char *seq = g_strdup_printf("%" G_GINT64_FORMAT, a->seq);
    sqlite3_bind_text(a->set_meta, 1, seq, -1, SQLITE_STATIC);
    sqlite3_bind_text(a->set_meta, 2, a->head_hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(a->set_meta);
    sqlite3_reset(a->set_meta);
    if (rc != SQLITE_DONE)
      fail(a, "recording the head of the chain");
    else if (sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
      fail(a, "committing");
    else
      a->in_txn = FALSE;
  }
  if (a->failure) {
    if (a->in_txn)
      sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    a->in_txn = FALSE;
    fprintf(stderr, "regel eval: archive %s: %s\n", a->path, a->failure);
    return FALSE;
  }
  return TRUE;
}

static void
archive_free(RegelArchive *a)
{
  sqlite3_finalize(a->add_input);
  sqlite3_finalize(a->add_row);
  sqlite3_finalize(a->get_head);
  sqlite3_finalize(a->set_meta);
  sqlite3_close(a->db);
  g_free(a->path);
  g_free(a->as_of);
  g_free(a->failure);
  g_free(a);
}

gboolean
regel_archive_close(RegelArchive *a)
{
  if (!a)
    return TRUE;
  gboolean ok = regel_archive_commit(a);
  archive_free(a);
  return ok;
}

/* ---- Reading ---- */

sqlite3 *
regel_archive_open_read(const char *path, GError **error)
{
  sqlite3 *db = NULL;
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, REGEL_ARCHIVE_ERROR, SQLITE_CANTOPEN, "%s: no such file", path);
    return NULL;
  }
  /* read-write without create, so that a WAL left by a killed writer can be recovered */
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK &&
      (sqlite3_close(db), sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)) != SQLITE_OK) {
    set_error(error, db, path);
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 60000);
  if (pragma_int(db, "PRAGMA application_id") != REGEL_ARCHIVE_APPLICATION_ID ||
      pragma_int(db, "PRAGMA user_version") != REGEL_ARCHIVE_FORMAT) {
    g_set_error(error, REGEL_ARCHIVE_ERROR, SQLITE_MISMATCH,
                "%s: not a decision archive of format %d", path, REGEL_ARCHIVE_FORMAT);
    sqlite3_close(db);
    return NULL;
  }
  exec(db, "PRAGMA query_only = 1", NULL);
  return db;
}
