/* i18n.h: translated compiler messages (gettext domain "libreg"; English when untranslated). */
#pragma once

#include <glib.h>

/* The message catalog of the current locale's language for @msgid, or @msgid itself. The
 * domain is bound on first use, to $REG_LOCALEDIR when set (tests use the build tree), else to
 * the install's locale directory. Hosts' own gettext domains are not touched. Thread-safe. */
const char *reg_gettext(const char *msgid) G_GNUC_FORMAT(1);
/* The same for a message with a plural form. */
const char *reg_ngettext(const char *msgid, const char *msgid_plural, unsigned long n)
  G_GNUC_FORMAT(1) G_GNUC_FORMAT(2);

#define _(s) reg_gettext(s)
#define N_(s) (s)
