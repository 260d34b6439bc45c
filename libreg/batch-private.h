/* batch-private.h: deciding many JSON Lines at once, on one or more threads. */
#pragma once

#include "evaluator-private.h"

struct _RegBatch {
  guint jobs;
  RegEvaluator **ev; /* one per job */
};

typedef struct {
  uint64_t lines, errors;
} RegBatchCounts;

/* Decides every line of @data (the last may lack its newline) into @out, one line each. */
void reg_batch_decide_buf(RegBatch *b, const char *data, size_t len, uint64_t first_line,
                          RegBuf *out, RegBatchCounts *counts);
