/* testfile.h: test cases of criteria, written beside them in *.regeltest files. */
#pragma once

#include <glib.h>

#include "jsonvalue.h"

typedef enum {
  TC_DECISION,   /* a portfolio and the fields its decision must have */
  TC_DATA_ERROR, /* a portfolio that must be a data error with this message */
  TC_DIAGNOSTIC, /* a criteria snippet that must not compile, with this diagnostic */
} TestKind;

typedef struct {
  TestKind kind;
  char *name;
  char *file; /* the .regeltest file */
  guint line; /* where the test starts */
  char *as_of;       /* or NULL */
  char *view;        /* the output to decide (uitvoer NAME), or NULL for the default */
  char *portfolio;   /* JSON text of the portfolio */
  JsonValue *expect; /* TC_DECISION */
  char *message;     /* TC_DATA_ERROR: exact; TC_DIAGNOSTIC: part of the message */
  guint code;        /* TC_DIAGNOSTIC: REGnnnn */
  char *snippet;     /* TC_DIAGNOSTIC: criteria compiled with the ones under test */
} TestCase;

void test_case_free(TestCase *t);

/*
 * Reads the cases of one file into @cases (TestCase*). Syntax errors are
 * reported as "file:line: message" in @error. The format:
 *
 *   test "name"                      (a new case)
 *   peildatum 2023-09-01             (as_of; optional)
 *   portfolio {...}                  (JSON, may span lines) or
 *   portfolio uit "file.jsonl" regel 3
 *   verwacht {...}                   (fields the decision must have) or
 *   verwacht fout "message"          (a data error with exactly this message)
 *   criteria """ ... """             (a snippet compiled with the criteria) and
 *   verwacht diagnose REG0010 "text" (a diagnostic with this code containing text)
 *
 * English: test, as_of, portfolio ... from "file" line N, expect, error, criteria, diagnostic.
 * Lines starting with # are comments.
 */
gboolean test_file_read(const char *path, GPtrArray *cases, GError **error);
