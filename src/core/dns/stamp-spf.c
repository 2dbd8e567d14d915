/* stamp-spf.c
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SPF records (RFC 7208) without any network: a parser that follows the
 * ABNF of §12, and a merge that folds records and a provider's include
 * into one. StampSpfWalk (stamp-spf-walk.c) follows their includes. */

#define G_LOG_DOMAIN "stamp-spf"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-spf.h"

struct _StampSpfRecord
{
  GArray *terms;           /* of StampSpfTerm */
  guint   evaluated_end;   /* the position of the first "all", or the number of terms */
};

static void
clear_term (gpointer data)
{
  StampSpfTerm *term = data;

  g_clear_pointer (&term->target, g_free);
  g_clear_pointer (&term->text, g_free);
}

/* §7.1: "%{" macro-letter transformers *delimiter "}", "%%", "%_", "%-". */
static gboolean
check_macro_string (const char *str,
                    gboolean    exp)
{
  for (const char *p = str; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        return FALSE;

      if (*p != '%')
        continue;

      p++;
      if (*p == '%' || *p == '_' || *p == '-')
        continue;
      if (*p != '{')
        return FALSE;

      p++;
      if (*p == '\0' || strchr (exp ? "slodiphcrtv" : "slodiphv", g_ascii_tolower (*p)) == NULL)
        return FALSE;
      p++;
      while (g_ascii_isdigit (*p))
        p++;
      if (g_ascii_tolower (*p) == 'r')
        p++;
      while (*p != '\0' && strchr (".-+,/_=", *p) != NULL)
        p++;
      if (*p != '}')
        return FALSE;
    }

  return TRUE;
}

/* §7.1 domain-end: "." toplabel ["."], or a macro-expand. */
static gboolean
check_domain_spec (const char *spec,
                   gboolean    exp)
{
  g_autofree char *copy = NULL;
  const char *top;
  gsize len = strlen (spec);
  gboolean alpha = FALSE;

  if (len == 0 || len > 253 + 1 || !check_macro_string (spec, exp) || strstr (spec, "..") != NULL)
    return FALSE;

  if (spec[len - 1] == '}')
    return TRUE;

  copy = g_strdup (spec);
  if (copy[len - 1] == '.')
    copy[len - 1] = '\0';

  top = strrchr (copy, '.');
  if (top == NULL || top[1] == '\0')
    return FALSE;
  top++;

  if (top[0] == '-' || top[strlen (top) - 1] == '-')
    return FALSE;
  for (const char *p = top; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
      alpha |= g_ascii_isalpha (*p) || *p == '-';
    }

  return alpha;
}

static gboolean
check_cidr (const char *digits,
            guint       max)
{
  guint64 value;

  if (!g_ascii_isdigit (digits[0]) || (digits[0] == '0' && digits[1] != '\0'))
    return FALSE;
  if (!g_ascii_string_to_unsigned (digits, 10, 0, max, &value, NULL))
    return FALSE;

  return TRUE;
}

/* §5.6 dual-cidr-length: [ "/" ip4-cidr ] [ "//" ip6-cidr ]. */
static gboolean
check_dual_cidr (const char *cidr)
{
  g_autofree char *ip4 = NULL;
  const char *ip6;

  if (*cidr == '\0')
    return TRUE;
  if (*cidr != '/')
    return FALSE;

  ip6 = strstr (cidr, "//");
  if (ip6 == cidr)
    return check_cidr (cidr + 2, 128);

  ip4 = ip6 != NULL ? g_strndup (cidr + 1, ip6 - cidr - 1) : g_strdup (cidr + 1);

  return check_cidr (ip4, 32) && (ip6 == NULL || check_cidr (ip6 + 2, 128));
}

static gboolean
check_network (const char    *network,
               GSocketFamily  family)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;
  const char *slash = strchr (network, '/');

  host = slash != NULL ? g_strndup (network, slash - network) : g_strdup (network);
  /* An IPv6 scope ("%eth0") means nothing to a receiver. */
  if (strchr (host, '%') != NULL)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL || g_inet_address_get_family (address) != family)
    return FALSE;

  return slash == NULL || check_cidr (slash + 1, family == G_SOCKET_FAMILY_IPV4 ? 32 : 128);
}

static const struct
{
  const char       *name;
  StampSpfTermKind  kind;
} mechanisms[] = {
  { "all", STAMP_SPF_TERM_ALL },
  { "include", STAMP_SPF_TERM_INCLUDE },
  { "a", STAMP_SPF_TERM_A },
  { "mx", STAMP_SPF_TERM_MX },
  { "ptr", STAMP_SPF_TERM_PTR },
  { "ip4", STAMP_SPF_TERM_IP4 },
  { "ip6", STAMP_SPF_TERM_IP6 },
  { "exists", STAMP_SPF_TERM_EXISTS },
};

static gboolean
parse_modifier (const char    *text,
                const char    *equals,
                StampSpfTerm  *term)
{
  g_autofree char *name = g_ascii_strdown (text, equals - text);
  const char *value = equals + 1;

  /* §12: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-_.", *p) == NULL)
        return FALSE;
    }

  if (g_str_equal (name, "redirect"))
    term->kind = STAMP_SPF_TERM_REDIRECT;
  else if (g_str_equal (name, "exp"))
    term->kind = STAMP_SPF_TERM_EXP;
  else
    term->kind = STAMP_SPF_TERM_UNKNOWN_MODIFIER;

  if (term->kind == STAMP_SPF_TERM_UNKNOWN_MODIFIER)
    {
      if (!check_macro_string (value, FALSE))
        return FALSE;
    }
  else if (!check_domain_spec (value, FALSE))
    return FALSE;

  term->target = g_strdup (value);
  return TRUE;
}

static gboolean
parse_mechanism (const char   *text,
                 StampSpfTerm *term)
{
  const char *name = text;
  const char *end = name;
  const char *args;
  g_autofree char *spec = NULL;
  gsize name_len;
  gboolean found = FALSE;

  if (strchr ("+-~?", *name) != NULL)
    term->qualifier = *name++;
  else
    term->qualifier = '+';

  end = name;
  while (g_ascii_isalnum (*end))
    end++;
  name_len = end - name;
  args = end;

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms) && !found; i++)
    {
      if (strlen (mechanisms[i].name) == name_len &&
          g_ascii_strncasecmp (name, mechanisms[i].name, name_len) == 0)
        {
          term->kind = mechanisms[i].kind;
          found = TRUE;
        }
    }

  if (!found)
    return FALSE;

  switch (term->kind)
    {
    case STAMP_SPF_TERM_ALL:
      return *args == '\0';

    case STAMP_SPF_TERM_INCLUDE:
    case STAMP_SPF_TERM_EXISTS:
      if (*args != ':' || !check_domain_spec (args + 1, FALSE))
        return FALSE;
      term->target = g_strdup (args + 1);
      return TRUE;

    case STAMP_SPF_TERM_PTR:
      if (*args == '\0')
        return TRUE;
      if (*args != ':' || !check_domain_spec (args + 1, FALSE))
        return FALSE;
      term->target = g_strdup (args + 1);
      return TRUE;

    case STAMP_SPF_TERM_A:
    case STAMP_SPF_TERM_MX:
      if (*args == ':')
        {
          const char *slash = strchr (args + 1, '/');

          spec = slash != NULL ? g_strndup (args + 1, slash - args - 1) : g_strdup (args + 1);
          if (!check_domain_spec (spec, FALSE))
            return FALSE;
          args += 1 + strlen (spec);
          term->target = g_steal_pointer (&spec);
        }
      return check_dual_cidr (args);

    case STAMP_SPF_TERM_IP4:
    case STAMP_SPF_TERM_IP6:
      if (*args != ':' ||
          !check_network (args + 1, term->kind == STAMP_SPF_TERM_IP4 ? G_SOCKET_FAMILY_IPV4
                                                                     : G_SOCKET_FAMILY_IPV6))
        return FALSE;
      term->target = g_strndup (args + 1, strcspn (args + 1, "/"));
      return TRUE;

    case STAMP_SPF_TERM_REDIRECT:
    case STAMP_SPF_TERM_EXP:
    case STAMP_SPF_TERM_UNKNOWN_MODIFIER:
    default:
      g_assert_not_reached ();
    }
}

/* One term; §4.6.1: a name followed by "=" is a modifier, anything else
 * must be a mechanism. */
static gboolean
parse_term (const char   *text,
            StampSpfTerm *term)
{
  const char *equals = strchr (text, '=');
  const char *colon = strchr (text, ':');
  const char *slash = strchr (text, '/');
  gboolean ok;

  memset (term, 0, sizeof *term);

  if (equals != NULL && equals > text && (colon == NULL || equals < colon) &&
      (slash == NULL || equals < slash))
    ok = parse_modifier (text, equals, term);
  else
    ok = parse_mechanism (text, term);

  if (!ok)
    {
      clear_term (term);
      return FALSE;
    }

  term->text = g_strdup (text);
  return TRUE;
}

/* What a receiver evaluates: the terms up to the first "all", which always
 * matches, and the redirect only when there is no "all" (§6.1). Returns
 * the position of that "all", or the number of terms. */
static guint
find_evaluated_end (const StampSpfRecord *self)
{
  for (guint i = 0; i < self->terms->len; i++)
    {
      if (g_array_index (self->terms, StampSpfTerm, i).kind == STAMP_SPF_TERM_ALL)
        return i;
    }

  return self->terms->len;
}

/**
 * stamp_spf_is_record:
 * @txt: one TXT record, its strings joined
 *
 * Returns: whether @txt is an SPF record: it starts with the version
 *   `v=spf1`, then a space or its end (§4.5)
 */
gboolean
stamp_spf_is_record (const char *txt)
{
  g_return_val_if_fail (txt != NULL, FALSE);

  return g_ascii_strncasecmp (txt, "v=spf1", 6) == 0 && (txt[6] == '\0' || txt[6] == ' ');
}

/**
 * stamp_spf_record_parse:
 * @text: an SPF record
 * @error: return location for a #GError
 *
 * Parses @text by the ABNF of RFC 7208 §12. A term that does not parse,
 * and a second redirect or exp (§6), fail with %STAMP_ERROR_INVALID_INPUT
 * and a message naming the term.
 *
 * Returns: (transfer full) (nullable): the record
 */
StampSpfRecord *
stamp_spf_record_parse (const char  *text,
                        GError     **error)
{
  g_autoptr(StampSpfRecord) self = NULL;
  g_auto(GStrv) words = NULL;
  char high_bytes[129] = { 0 };
  gboolean redirect = FALSE;
  gboolean exp = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; i < 128; i++)
    high_bytes[i] = (char) (0x80 + i);

  if (!stamp_spf_is_record (text) || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The record does not start with “v=spf1”"));
      return NULL;
    }

  self = g_new0 (StampSpfRecord, 1);
  self->terms = g_array_new (FALSE, TRUE, sizeof (StampSpfTerm));
  g_array_set_clear_func (self->terms, clear_term);

  words = g_strsplit (text + 6, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      StampSpfTerm term;

      if (words[i][0] == '\0')
        continue;

      if (!parse_term (words[i], &term))
        {
          /* Escaped, so a tab or line break in DNS shows as such. */
          g_autofree char *shown = g_strescape (words[i], high_bytes);

          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("“%s” is not a valid SPF term"), shown);
          return NULL;
        }

      if ((term.kind == STAMP_SPF_TERM_REDIRECT && redirect) ||
          (term.kind == STAMP_SPF_TERM_EXP && exp))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("“%s” appears twice; SPF allows it once"),
                       term.kind == STAMP_SPF_TERM_REDIRECT ? "redirect=" : "exp=");
          clear_term (&term);
          return NULL;
        }

      redirect |= term.kind == STAMP_SPF_TERM_REDIRECT;
      exp |= term.kind == STAMP_SPF_TERM_EXP;
      g_array_append_val (self->terms, term);
    }

  self->evaluated_end = find_evaluated_end (self);

  return g_steal_pointer (&self);
}

void
stamp_spf_record_free (StampSpfRecord *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->terms);
  g_free (self);
}

guint
stamp_spf_record_get_n_terms (const StampSpfRecord *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->terms->len;
}

const StampSpfTerm *
stamp_spf_record_get_term (const StampSpfRecord *self,
                           guint                 position)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (position < self->terms->len, NULL);

  return &g_array_index (self->terms, StampSpfTerm, position);
}

/**
 * stamp_spf_record_find:
 * @self: a record
 * @kind: the kind of term
 *
 * Returns: (nullable): the first term of @kind
 */
const StampSpfTerm *
stamp_spf_record_find (const StampSpfRecord *self,
                       StampSpfTermKind      kind)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->terms->len; i++)
    {
      const StampSpfTerm *term = &g_array_index (self->terms, StampSpfTerm, i);

      if (term->kind == kind)
        return term;
    }

  return NULL;
}

/**
 * stamp_spf_term_looks_up:
 * @term: a term
 *
 * Returns: whether evaluating @term costs a DNS lookup (RFC 7208 §4.6.4):
 *   include, a, mx, ptr, exists and redirect do
 */
gboolean
stamp_spf_term_looks_up (const StampSpfTerm *term)
{
  g_return_val_if_fail (term != NULL, FALSE);

  switch (term->kind)
    {
    case STAMP_SPF_TERM_INCLUDE:
    case STAMP_SPF_TERM_A:
    case STAMP_SPF_TERM_MX:
    case STAMP_SPF_TERM_PTR:
    case STAMP_SPF_TERM_EXISTS:
    case STAMP_SPF_TERM_REDIRECT:
      return TRUE;

    case STAMP_SPF_TERM_ALL:
    case STAMP_SPF_TERM_IP4:
    case STAMP_SPF_TERM_IP6:
    case STAMP_SPF_TERM_EXP:
    case STAMP_SPF_TERM_UNKNOWN_MODIFIER:
    default:
      return FALSE;
    }
}

/**
 * stamp_spf_record_evaluates:
 * @self: a record
 * @position: the position of a term
 *
 * Returns: whether a receiver ever evaluates the term at @position: terms
 *   after the first "all" never are, and a redirect only when there is no
 *   "all" (§6.1)
 */
gboolean
stamp_spf_record_evaluates (const StampSpfRecord *self,
                            guint                 position)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (position < self->terms->len, FALSE);

  if (g_array_index (self->terms, StampSpfTerm, position).kind == STAMP_SPF_TERM_REDIRECT)
    return self->evaluated_end == self->terms->len;

  return position <= self->evaluated_end;
}

/**
 * stamp_spf_record_count_lookups:
 * @self: a record
 *
 * Returns: how many of the terms a receiver evaluates look up DNS, not
 *   counting those inside included records
 */
guint
stamp_spf_record_count_lookups (const StampSpfRecord *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->terms->len; i++)
    {
      if (stamp_spf_term_looks_up (&g_array_index (self->terms, StampSpfTerm, i)) &&
          stamp_spf_record_evaluates (self, i))
        n++;
    }

  return n;
}

/* Terms compare without case and without the "+" that is the default. */
static char *
dup_term_key (const StampSpfTerm *term)
{
  return g_ascii_strdown (term->text + (term->text[0] == '+' ? 1 : 0), -1);
}

/**
 * stamp_spf_merge:
 * @records: (nullable) (array zero-terminated=1): the SPF records a domain
 *   has now, possibly several and possibly broken
 * @include: (nullable): a domain the result must include, such as
 *   `spf.protection.outlook.com`
 *
 * Folds @records into the one record a domain should publish: every valid
 * term a receiver evaluates, once, in order; terms that do not parse are
 * dropped. @include is added before the final "all" unless some record
 * already includes or redirects to it. The result ends in the first
 * record's "-all" or "~all", otherwise in a redirect, otherwise in "-all",
 * the value providers publish.
 *
 * Returns: (transfer full): the merged record
 */
char *
stamp_spf_merge (const char * const *records,
                 const char         *include)
{
  g_autoptr(GString) merged = g_string_new ("v=spf1");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *redirect = NULL;
  g_autofree char *exp = NULL;
  gboolean has_include = FALSE;
  char all = 0;

  for (guint r = 0; records != NULL && records[r] != NULL; r++)
    {
      g_auto(GStrv) words = NULL;
      gboolean after_all = FALSE;

      if (!stamp_spf_is_record (records[r]))
        continue;

      words = g_strsplit (records[r] + 6, " ", -1);
      for (guint i = 0; words[i] != NULL; i++)
        {
          StampSpfTerm term;
          char *key;

          if (words[i][0] == '\0' || !parse_term (words[i], &term))
            continue;

          /* Mechanisms after "all" are never evaluated; modifiers are. */
          if (after_all && term.qualifier != 0)
            {
              clear_term (&term);
              continue;
            }

          if (include != NULL && term.kind == STAMP_SPF_TERM_INCLUDE &&
              g_ascii_strcasecmp (term.target, include) == 0)
            has_include = TRUE;

          key = dup_term_key (&term);
          if (term.kind == STAMP_SPF_TERM_ALL)
            {
              after_all = TRUE;
              if (all == 0)
                all = term.qualifier;
              g_free (key);
            }
          else if (term.kind == STAMP_SPF_TERM_REDIRECT)
            {
              if (redirect == NULL)
                redirect = g_strdup (term.text);
              g_free (key);
            }
          else if (term.kind == STAMP_SPF_TERM_EXP)
            {
              if (exp == NULL)
                exp = g_strdup (term.text);
              g_free (key);
            }
          else if (g_hash_table_add (seen, key))
            g_ptr_array_add (terms, g_strdup (term.text));

          clear_term (&term);
        }
    }

  /* A redirect counts only where it is kept: when no record has "all". */
  if (include != NULL && all == 0 && redirect != NULL &&
      g_ascii_strcasecmp (strchr (redirect, '=') + 1, include) == 0)
    has_include = TRUE;

  for (guint i = 0; i < terms->len; i++)
    g_string_append_printf (merged, " %s", (char *) g_ptr_array_index (terms, i));

  if (include != NULL && !has_include)
    g_string_append_printf (merged, " include:%s", include);

  /* "+all" lets anyone send and "?all" says nothing; neither is kept. */
  if (all == '-' || all == '~')
    g_string_append_printf (merged, " %call", all);
  else if (all == 0 && redirect != NULL)
    g_string_append_printf (merged, " %s", redirect);
  else
    g_string_append (merged, " -all");

  if (exp != NULL)
    g_string_append_printf (merged, " %s", exp);

  return g_string_free (g_steal_pointer (&merged), FALSE);
}
