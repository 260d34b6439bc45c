/* value-json-private.h: JSON output of values by their declared type. */
#pragma once

#include "buf-private.h"
#include "program-private.h"

void reg_write_value(RegBuf *b, const RegProgram *p, uint32_t type, RegValue v);
/* The fields of a record, without braces; *first tracks the comma. Absent optional fields are left out. */
void reg_write_record_fields(RegBuf *b, const RegProgram *p, uint32_t rec, const RegValue *v,
                             bool *first);
