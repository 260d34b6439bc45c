/* batch-private.h: deciding many JSON Lines at once, on one or more threads. */
#pragma once

#include "evaluator-private.h"

typedef struct RegBatchPool RegBatchPool;

struct _RegBatch {
  guint jobs;
  RegEvaluator **ev;  /* one per job */
  RegBatchPool *pool; /* with more than one job: its threads, started when first needed */
};

typedef struct {
  uint64_t lines, errors;
} RegBatchCounts;

/* Decides every line of @data (the last may lack its newline) into @out, one line each. */
void reg_batch_decide_buf(RegBatch *b, const char *data, size_t len, uint64_t first_line,
                          RegBuf *out, RegBatchCounts *counts);

/*
 * Deciding in the background, for a caller that reads and writes while the jobs decide:
 * reg_batch_submit() queues a buffer of whole lines (it must stay valid until taken),
 * sets *@lines to their number and returns at once; reg_batch_take() waits for a
 * submitted buffer's decisions, appends them to @out and frees the ticket. Tickets are
 * taken in the order they were submitted (each one before the batch is freed); the
 * batch's threads decide the pieces of every queued buffer in turn, so they do not wait
 * for each other at a buffer's end. With one job, submit decides at once.
 */
typedef struct RegBatchTicket RegBatchTicket;

RegBatchTicket *reg_batch_submit(RegBatch *b, const char *data, size_t len, uint64_t first_line,
                                 uint64_t *lines);
void reg_batch_take(RegBatch *b, RegBatchTicket *t, RegBuf *out, RegBatchCounts *counts);
