/* replay.h: deciding recorded decisions again, for `regel replay` and `regel audit`. */
#pragma once

#include <glib.h>

#include "libreg/libreg.h"

/* ---- Deciding one line again ---- */

typedef struct _RegelRedecider RegelRedecider;

/*
 * An evaluator for @program with the output options `regel eval` had
 * (@view, @public_view, @explain). Returns (transfer full) (nullable): %NULL
 * with @error set when the criteria have no such view.
 */
RegelRedecider *regel_redecider_new(RegProgram *program, const char *view, gboolean public_view,
                                    RegExplainStyle explain, GError **error);
void regel_redecider_free(RegelRedecider *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegelRedecider, regel_redecider_free)

/*
 * Decides the input line @input (no newline) exactly as `regel eval --as-of
 * @as_of` did when it was line @line, and compares the result with
 * @recorded. Each difference is appended to @diffs (see regel_json_diff());
 * an @as_of that is not a date is one too. Returns the number of differences.
 */
guint regel_redecide(RegelRedecider *r, const char *input, gsize len, const char *as_of,
                     guint64 line, const char *recorded, gsize recorded_len, GPtrArray *diffs);

/* ---- Input lines, found by number and by SHA-256 ---- */

typedef struct _RegelInputs RegelInputs;

RegelInputs *regel_inputs_new(void);
void regel_inputs_free(RegelInputs *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegelInputs, regel_inputs_free)

/* Adds the lines of @path (numbered on from the previous file's, as `regel eval` does). */
gboolean regel_inputs_add_file(RegelInputs *in, const char *path, GError **error);

guint64 regel_inputs_get_n_lines(RegelInputs *in);

/* Line @line (1-based) without its newline; FALSE when there is none. */
gboolean regel_inputs_get(RegelInputs *in, guint64 line, const char **text, gsize *len);

/* Where line @line is: the file it came from and its line number there. */
const char *regel_inputs_locate(RegelInputs *in, guint64 line, guint64 *file_line);

/* The SHA-256 (hex) of line @line. */
const char *regel_inputs_get_sha256(RegelInputs *in, guint64 line);

/*
 * A line whose SHA-256 is @sha256_hex (preferring one not yet marked used), or 0.
 */
guint64 regel_inputs_find(RegelInputs *in, const char *sha256_hex);

/* A line whose portfolio has teacher.id @teacher (preferring one not yet used), or 0. */
guint64 regel_inputs_find_teacher(RegelInputs *in, const char *teacher);

void regel_inputs_mark_used(RegelInputs *in, guint64 line);
gboolean regel_inputs_is_used(RegelInputs *in, guint64 line);
