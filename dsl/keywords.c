/* keywords.c: the keyword table of the criteria language, Dutch words with English aliases. */
#include <string.h>

#include "parse-private.h"
#include "parser.h"

typedef struct {
  const char *word;
  int token;
  int value;
} Keyword;

/* Sorted by word (strcmp order) for bsearch. */
static const Keyword keywords[] = {
  { "aantal", KW_COUNT, 0 },
  { "all", KW_ALL, 0 },
  { "alle", KW_ALL, 0 },
  { "als", KW_IF, 0 },
  { "and", KW_AND, 0 },
  { "anders", KW_ELSE, 0 },
  { "any", KW_ANY, 0 },
  { "at", KW_AT, 0 },
  { "basis", KW_BASIS, 0 },
  { "bool", T_BOOL, 0 },
  { "boolean", T_BOOL, 0 },
  { "bron", KW_BASIS, 0 },
  { "count", KW_COUNT, 0 },
  { "criteria", KW_CRITERIA, 0 },
  { "dag", KW_UNIT, UNIT_DAY },
  { "dagen", KW_UNIT, UNIT_DAY },
  { "dan", KW_THEN, 0 },
  { "date", T_DATE, 0 },
  { "datum", T_DATE, 0 },
  { "day", KW_UNIT, UNIT_DAY },
  { "days", KW_UNIT, UNIT_DAY },
  { "decimaal", KW_DECIMALS, 0 },
  { "decimal", T_DEC, 0 },
  { "decimalen", KW_DECIMALS, 0 },
  { "decimals", KW_DECIMALS, 0 },
  { "default", KW_DEFAULT, 0 },
  { "duration", T_DUR, 0 },
  { "duur", T_DUR, 0 },
  { "eerste", KW_FIRST, 0 },
  { "effective", KW_GELDT, 0 },
  { "eis", KW_CHECK, 0 },
  { "else", KW_ELSE, 0 },
  { "empty", KW_EMPTY, 0 },
  { "en", KW_AND, 0 },
  { "enige", KW_ANY, 0 },
  { "enum", KW_ENUM, 0 },
  { "explanation", KW_EXPLAIN, 0 },
  { "false", KW_FALSE, 0 },
  { "first", KW_FIRST, 0 },
  { "for", KW_FOR, 0 },
  { "from", KW_VANAF, 0 },
  { "geheel", T_INT, 0 },
  { "geldt", KW_GELDT, 0 },
  { "getal", T_DEC, 0 },
  { "if", KW_IF, 0 },
  { "in", KW_IN, 0 },
  { "input", KW_INPUT, 0 },
  { "int", T_INT, 0 },
  { "integer", T_INT, 0 },
  { "invoer", KW_INPUT, 0 },
  { "is", KW_IS, 0 },
  { "jaar", KW_UNIT, UNIT_YEAR },
  { "jaren", KW_UNIT, UNIT_YEAR },
  { "keuzelijst", KW_ENUM, 0 },
  { "key", KW_KEY, 0 },
  { "leeg", KW_EMPTY, 0 },
  { "lijst", KW_LIST, 0 },
  { "list", KW_LIST, 0 },
  { "maand", KW_UNIT, UNIT_MONTH },
  { "maanden", KW_UNIT, UNIT_MONTH },
  { "max", KW_MAX, 0 },
  { "maximum", KW_MAX, 0 },
  { "min", KW_MIN, 0 },
  { "minimum", KW_MIN, 0 },
  { "month", KW_UNIT, UNIT_MONTH },
  { "months", KW_UNIT, UNIT_MONTH },
  { "niet", KW_NOT, 0 },
  { "not", KW_NOT, 0 },
  { "number", T_DEC, 0 },
  { "of", KW_OF, 0 },
  { "onbekend", KW_UNKNOWN, 0 },
  { "onwaar", KW_FALSE, 0 },
  { "op", KW_AT, 0 },
  { "open", KW_OPEN, 0 },
  { "optional", KW_OPTIONAL, 0 },
  { "optioneel", KW_OPTIONAL, 0 },
  { "or", KW_OR, 0 },
  { "output", KW_OUTPUT, 0 },
  { "parameter", KW_PARAMETER, 0 },
  { "peildatum", KW_ASOF, 0 },
  { "record", KW_RECORD, 0 },
  { "reference_date", KW_ASOF, 0 },
  { "regel", KW_RULE, 0 },
  { "require", KW_CHECK, 0 },
  { "required", KW_REQUIRED, 0 },
  { "rule", KW_RULE, 0 },
  { "sleutel", KW_KEY, 0 },
  { "som", KW_SUM, 0 },
  { "standaard", KW_DEFAULT, 0 },
  { "sum", KW_SUM, 0 },
  { "tekst", T_TEXT, 0 },
  { "text", T_TEXT, 0 },
  { "then", KW_THEN, 0 },
  { "true", KW_TRUE, 0 },
  { "uitleg", KW_EXPLAIN, 0 },
  { "uitvoer", KW_OUTPUT, 0 },
  { "unknown", KW_UNKNOWN, 0 },
  { "van", KW_VAN, 0 },
  { "vanaf", KW_VANAF, 0 },
  { "verplicht", KW_REQUIRED, 0 },
  { "versie", KW_VERSION, 0 },
  { "version", KW_VERSION, 0 },
  { "voor", KW_FOR, 0 },
  { "waar", KW_TRUE, 0 },
  { "waarheid", T_BOOL, 0 },
  { "waarvoor", KW_WHERE, 0 },
  { "week", KW_UNIT, UNIT_WEEK },
  { "weeks", KW_UNIT, UNIT_WEEK },
  { "weken", KW_UNIT, UNIT_WEEK },
  { "where", KW_WHERE, 0 },
  { "year", KW_UNIT, UNIT_YEAR },
  { "years", KW_UNIT, UNIT_YEAR },
};

static int
cmp_kw(const void *key, const void *elem)
{
  const char *k = key;
  const Keyword *kw = elem;
  return strcmp(k, kw->word);
}

int
reg_keyword_lookup(const char *s, size_t len, int *value)
{
  char buf[32];
  if (len == 0 || len >= sizeof buf)
    return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  const Keyword *kw = bsearch(buf, keywords, G_N_ELEMENTS(keywords), sizeof(Keyword), cmp_kw);
  if (!kw)
    return 0;
  *value = kw->value;
  return kw->token;
}

/* The keyword table, for the formatter and the documentation. */
const char *
reg_keyword_at(size_t i, int *token)
{
  if (i >= G_N_ELEMENTS(keywords))
    return NULL;
  if (token)
    *token = keywords[i].token;
  return keywords[i].word;
}
