/* archive.h: the decision archive, an SQLite file whose decision rows form a SHA-256 hash chain. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "libreg/libreg.h"

/* The `prev_hash` of the first row (docs/archive.md). */
#define REGEL_ARCHIVE_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
/* PRAGMA application_id of an archive: "LREG". */
#define REGEL_ARCHIVE_APPLICATION_ID 0x4C524547
#define REGEL_ARCHIVE_FORMAT 1

/* Error domain of the archive; the codes are SQLite's result codes. */
#define REGEL_ARCHIVE_ERROR (regel_archive_error_quark())
GQuark regel_archive_error_quark(void);

typedef struct _RegelArchive RegelArchive;

/* How `regel eval` ran: recorded once per run, so that `regel audit` can decide again alike. */
typedef struct {
  const char *as_of; /* --as-of, or NULL */
  const char *view;  /* --view, or NULL */
  gboolean public_view;
  RegExplainStyle explain; /* --explain[=STYLE] */
  gboolean hash_only; /* keep only the SHA-256 of each input line, not the line */
} RegelArchiveRun;

/*
 * Opens (creating it when new) the archive at @path, stores @program's
 * compiled bytes once and starts a run with @run's options.
 * Returns (transfer full) (nullable): the archive, or %NULL with @error set.
 */
RegelArchive *regel_archive_open(const char *path, RegProgram *program, const RegelArchiveRun *run,
                                 GError **error);

/*
 * Records decided lines: @in holds N input lines (the last one may lack its
 * newline), @out the N output lines that `regel eval` printed for them, in
 * order. @in may be %NULL for an output line whose input was not kept (a line
 * over --max-line). A failure is remembered and returned by the next commit.
 */
void regel_archive_add(RegelArchive *archive, const char *in, gsize in_len, const char *out,
                       gsize out_len);

/* Commits what was added since the last commit; on failure prints why (as `regel eval`). */
gboolean regel_archive_commit(RegelArchive *archive);

/* Commits and closes; %NULL is a no-op. Returns whether the last commit succeeded. */
gboolean regel_archive_close(RegelArchive *archive);

/* ---- Reading (regel audit) ---- */

/* One decision row: every field that its hash covers. */
typedef struct {
  gint64 seq;
  gint64 run;
  gint64 line;
  const char *teacher; /* nullable */
  gsize teacher_len;
  const char *as_of; /* nullable */
  gsize as_of_len;
  const char *criteria_sha256;
  gsize criteria_sha256_len;
  const char *input_sha256; /* nullable */
  gsize input_sha256_len;
  const char *decision;
  gsize decision_len;
} RegelArchiveRow;

/* The row's hash (64 hex digits and a NUL) from its fields and the previous row's hash. */
void regel_archive_row_hash(const RegelArchiveRow *row, const char *prev_hash, gsize prev_len,
                            char out[65]);

/*
 * Opens an existing archive read-only (checking its application id and format).
 * Returns (transfer full) (nullable): the connection, or %NULL with @error set.
 */
sqlite3 *regel_archive_open_read(const char *path, GError **error);
