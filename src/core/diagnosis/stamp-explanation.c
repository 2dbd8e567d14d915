/* stamp-explanation.c
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


#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-base-enums.h"
#include "stamp-error.h"
#include "stamp-explanation.h"
#include "stamp-util.h"

/**
 * StampExplanation:
 *
 * One known failure from the diagnosis database: when it applies (the
 * reply's codes and text, or a local failure, and where), and what to tell
 * the person: a title, the likely causes, the fix in steps, an admin
 * command and a link. An entry may also name a fix Stamp itself can
 * offer ("fix": "graph", send through Microsoft Graph instead), for a
 * view to show as a button beside the steps.
 *
 * An entry applies when its reply conditions (basic code, enhanced codes,
 * text pattern) all hold, or, for entries that name them, when the
 * failure is one of its #StampError nicks; the server conditions (hosts,
 * ports, providers) must hold as well. The score says how specific the
 * match was, so that the most specific entry wins.
 *
 * Commands and steps may contain {address} (the signed-in mailbox),
 * {from} (the sender) and {domain} (the sender's domain), filled in by
 * stamp_explanation_fill().
 */

struct _StampExplanation
{
  GObject  parent_instance;

  char    *id;
  char    *title;
  GStrv    causes;
  GStrv    steps;
  char    *command;
  char    *link;
  char    *fix;

  /* Conditions */
  int      code;
  GStrv    enhanced;
  GRegex  *pattern;
  GStrv    errors;
  GStrv    hosts;
  GArray  *ports;
  GStrv    providers;
  GStrv    checks;
};

G_DEFINE_FINAL_TYPE (StampExplanation, stamp_explanation, G_TYPE_OBJECT)

/* How much each satisfied condition says about the failure. */
enum {
  WEIGHT_CODE = 1,
  WEIGHT_ERROR = 1,
  WEIGHT_PORT = 1,
  WEIGHT_PROVIDER = 1,
  WEIGHT_ENHANCED = 2,
  WEIGHT_HOST = 2,
  WEIGHT_PATTERN = 3,
};

static const char * const entry_members[] = {
  "id", "match", "title", "causes", "steps", "command", "link", "fix", NULL,
};
/* The fixes Stamp can offer itself; a view knows what each one does. */
static const char * const known_fixes[] = {
  "graph",
  NULL,
};
static const char * const match_members[] = {
  "code", "enhanced", "pattern", "error", "checks", "hosts", "ports", "providers", NULL,
};

static void
stamp_explanation_finalize (GObject *object)
{
  StampExplanation *self = (StampExplanation *)object;

  g_free (self->id);
  g_free (self->title);
  g_strfreev (self->causes);
  g_strfreev (self->steps);
  g_free (self->command);
  g_free (self->link);
  g_free (self->fix);
  g_strfreev (self->enhanced);
  g_clear_pointer (&self->pattern, g_regex_unref);
  g_strfreev (self->errors);
  g_strfreev (self->hosts);
  g_clear_pointer (&self->ports, g_array_unref);
  g_strfreev (self->providers);
  g_strfreev (self->checks);

  G_OBJECT_CLASS (stamp_explanation_parent_class)->finalize (object);
}

static void
stamp_explanation_class_init (StampExplanationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_explanation_finalize;
}

static void
stamp_explanation_init (StampExplanation *self)
{
}

/* The database ships with Stamp: a parse error is a packaging bug for a
 * developer, so these texts are not translated. */
G_GNUC_PRINTF (3, 4)
static gboolean
fail (StampExplanation  *self,
      GError           **error,
      const char        *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT, "Diagnosis entry “%s”: %s",
               self->id != NULL ? self->id : "?", message);
  return FALSE;
}

static gboolean
check_members (StampExplanation   *self,
               JsonObject         *object,
               const char * const *known,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        return fail (self, error, "unknown member “%s”", (const char *) l->data);
    }

  return TRUE;
}

static gboolean
get_string (StampExplanation  *self,
            JsonObject        *object,
            const char        *member,
            gboolean           required,
            char             **out,
            GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return !required || fail (self, error, "“%s” is missing", member);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    return fail (self, error, "“%s” must be a non-empty string", member);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_strv (StampExplanation  *self,
          JsonObject        *object,
          const char        *member,
          gboolean           required,
          GStrv             *out,
          GError           **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL)
    return !required || fail (self, error, "“%s” is missing", member);
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (self, error, "“%s” must be a non-empty array of strings", member);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || *json_node_get_string (element) == '\0')
        return fail (self, error, "“%s”[%u] must be a non-empty string", member, i);
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* The last part of an enhanced pattern as a range of numbers: "606-649"
 * in "5.7.606-649". Returns FALSE when the part is no range. */
static gboolean
parse_detail_range (const char *part,
                    guint      *low,
                    guint      *high)
{
  const char *dash = strchr (part, '-');
  g_autofree char *start = NULL;
  guint64 first, last;

  if (dash == NULL)
    return FALSE;

  start = g_strndup (part, dash - part);
  if (!g_ascii_string_to_unsigned (start, 10, 0, 999, &first, NULL)
      || !g_ascii_string_to_unsigned (dash + 1, 10, 0, 999, &last, NULL))
    return FALSE;

  *low = first;
  *high = last;
  return first <= last;
}

/* "5.7.139"; with x for any digit, "4.7.5xx"; with a range for the last
 * part, "5.7.606-649" (Microsoft documents some codes as ranges that do not
 * follow the digits). */
static gboolean
is_enhanced_pattern (const char *pattern)
{
  g_auto(GStrv) parts = g_strsplit (pattern, ".", -1);
  guint low, high;

  if (g_strv_length (parts) != 3 || strchr ("245", parts[0][0]) == NULL || parts[0][1] != '\0')
    return FALSE;

  if (parse_detail_range (parts[2], &low, &high))
    return strspn (parts[1], "0123456789") == strlen (parts[1]) && parts[1][0] != '\0';

  for (guint i = 1; i < 3; i++)
    {
      gsize len = strlen (parts[i]);

      if (len == 0 || len > 3 || strspn (parts[i], "0123456789x") != len)
        return FALSE;
    }

  return TRUE;
}

static gboolean
enhanced_matches (const char *pattern,
                  const char *code)
{
  const char *pattern_detail = strrchr (pattern, '.');
  const char *code_detail = strrchr (code, '.');
  guint low, high;
  guint64 detail;

  if (pattern_detail != NULL && parse_detail_range (pattern_detail + 1, &low, &high))
    return code_detail != NULL
           && code_detail - code == pattern_detail - pattern
           && strncmp (pattern, code, pattern_detail - pattern) == 0
           && g_ascii_string_to_unsigned (code_detail + 1, 10, low, high, &detail, NULL);

  if (strlen (pattern) != strlen (code))
    return FALSE;

  for (; *pattern != '\0'; pattern++, code++)
    {
      if (*pattern == 'x' ? !g_ascii_isdigit (*code) : *pattern != *code)
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_match (StampExplanation  *self,
             JsonObject        *object,
             GError           **error)
{
  g_autofree char *pattern = NULL;
  g_autoptr(GError) regex_error = NULL;
  JsonNode *node = json_object_get_member (object, "match");
  g_autoptr(GEnumClass) error_class = g_type_class_ref (STAMP_TYPE_ERROR);
  JsonObject *match;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (self, error, "“match” must be an object");
  match = json_node_get_object (node);

  if (!check_members (self, match, match_members, error)
      || !get_strv (self, match, "enhanced", FALSE, &self->enhanced, error)
      || !get_string (self, match, "pattern", FALSE, &pattern, error)
      || !get_strv (self, match, "error", FALSE, &self->errors, error)
      || !get_strv (self, match, "hosts", FALSE, &self->hosts, error)
      || !get_strv (self, match, "providers", FALSE, &self->providers, error)
      || !get_strv (self, match, "checks", FALSE, &self->checks, error))
    return FALSE;

  if (json_object_has_member (match, "code"))
    {
      self->code = (int) json_object_get_int_member (match, "code");
      if (self->code < 200 || self->code > 599)
        return fail (self, error, "“code” must be an SMTP reply code");
    }

  for (guint i = 0; self->enhanced != NULL && self->enhanced[i] != NULL; i++)
    {
      if (!is_enhanced_pattern (self->enhanced[i]))
        return fail (self, error, "“%s” is not an enhanced status code", self->enhanced[i]);
    }

  for (guint i = 0; self->errors != NULL && self->errors[i] != NULL; i++)
    {
      if (g_enum_get_value_by_nick (error_class, self->errors[i]) == NULL)
        return fail (self, error, "“%s” is not a StampError nick", self->errors[i]);
    }

  if (pattern != NULL)
    {
      self->pattern = g_regex_new (pattern, G_REGEX_CASELESS, 0, &regex_error);
      if (self->pattern == NULL)
        return fail (self, error, "“pattern” is not a regular expression: %s", regex_error->message);
    }

  node = json_object_get_member (match, "ports");
  if (node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (array == NULL || json_array_get_length (array) == 0)
        return fail (self, error, "“ports” must be a non-empty array of ports");

      self->ports = g_array_new (FALSE, FALSE, sizeof (guint16));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 value = json_array_get_int_element (array, i);
          guint16 port = (guint16) value;

          if (value < 1 || value > G_MAXUINT16)
            return fail (self, error, "“ports”[%u] is not a port", i);
          g_array_append_val (self->ports, port);
        }
    }

  if (self->code == 0 && self->enhanced == NULL && self->pattern == NULL && self->errors == NULL
      && self->checks == NULL)
    return fail (self, error, "“match” needs a code, enhanced codes, a pattern, errors or checks");
  if (self->checks != NULL && (self->code != 0 || self->enhanced != NULL || self->pattern != NULL
                               || self->errors != NULL))
    return fail (self, error, "“checks” answer settings before any connection, not replies or errors");

  return TRUE;
}

/**
 * stamp_explanation_new_from_json:
 * @object: one entry of the diagnosis database
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the entry
 */
StampExplanation *
stamp_explanation_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(StampExplanation) self = g_object_new (STAMP_TYPE_EXPLANATION, NULL);

  if (!get_string (self, object, "id", TRUE, &self->id, error)
      || !check_members (self, object, entry_members, error)
      || !parse_match (self, object, error)
      || !get_string (self, object, "title", TRUE, &self->title, error)
      || !get_strv (self, object, "causes", TRUE, &self->causes, error)
      || !get_strv (self, object, "steps", TRUE, &self->steps, error)
      || !get_string (self, object, "command", FALSE, &self->command, error)
      || !get_string (self, object, "link", FALSE, &self->link, error)
      || !get_string (self, object, "fix", FALSE, &self->fix, error))
    return NULL;

  if (self->fix != NULL && !g_strv_contains (known_fixes, self->fix))
    {
      fail (self, error, "“fix” must be one of the fixes Stamp offers, not “%s”", self->fix);
      return NULL;
    }

  if (self->link != NULL && !g_str_has_prefix (self->link, "https://"))
    {
      fail (self, error, "“link” must be an https address");
      return NULL;
    }

  stamp_translate_data_text (&self->title);
  stamp_translate_data_texts (self->causes);
  stamp_translate_data_texts (self->steps);

  return g_steal_pointer (&self);
}

const char *
stamp_explanation_get_id (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return self->id;
}

const char *
stamp_explanation_get_title (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return self->title;
}

const char * const *
stamp_explanation_get_causes (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return (const char * const *) self->causes;
}

const char * const *
stamp_explanation_get_steps (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return (const char * const *) self->steps;
}

/**
 * stamp_explanation_get_command:
 * @self: a #StampExplanation
 *
 * Returns: (nullable): the admin command that fixes it (Exchange Online
 *   PowerShell for Microsoft 365)
 */
const char *
stamp_explanation_get_command (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return self->command;
}

/**
 * stamp_explanation_get_link:
 * @self: a #StampExplanation
 *
 * Returns: (nullable): the provider's documentation
 */
const char *
stamp_explanation_get_link (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return self->link;
}

/**
 * stamp_explanation_get_fix:
 * @self: a #StampExplanation
 *
 * Returns: (nullable): a fix Stamp can offer itself, such as "graph" (send
 *   through Microsoft Graph instead), or %NULL when the steps are all
 */
const char *
stamp_explanation_get_fix (StampExplanation *self)
{
  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);
  return self->fix;
}

static gboolean
host_matches (GStrv       hosts,
              const char *host)
{
  for (guint i = 0; host != NULL && hosts[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (hosts[i], host) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The reply conditions: all that the entry names must hold. */
static gboolean
reply_matches (StampExplanation          *self,
               const StampDiagnosisQuery *query,
               guint                     *score)
{
  gboolean any = FALSE;

  if (self->code != 0)
    {
      if (query->code != self->code)
        return FALSE;
      *score += WEIGHT_CODE;
      any = TRUE;
    }

  if (self->enhanced != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; query->enhanced != NULL && self->enhanced[i] != NULL; i++)
        found = found || enhanced_matches (self->enhanced[i], query->enhanced);
      if (!found)
        return FALSE;
      *score += WEIGHT_ENHANCED;
      any = TRUE;
    }

  if (self->pattern != NULL)
    {
      if (query->text == NULL || !g_regex_match (self->pattern, query->text, 0, NULL))
        return FALSE;
      *score += WEIGHT_PATTERN;
      any = TRUE;
    }

  return any;
}

/**
 * stamp_explanation_matches:
 * @self: a #StampExplanation
 * @query: the failure
 * @score: (out): how specific the match is; higher is better
 *
 * Returns: %TRUE when the entry applies to @query
 */
gboolean
stamp_explanation_matches (StampExplanation          *self,
                           const StampDiagnosisQuery *query,
                           guint                     *score)
{
  guint reply_score = 0;

  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), FALSE);

  *score = 0;
  /* A pre-flight check is answered only by the entries written for it. */
  if (self->checks != NULL || query->check != NULL)
    {
      if (self->checks == NULL || query->check == NULL
          || !g_strv_contains ((const char * const *) self->checks, query->check))
        return FALSE;
      *score += WEIGHT_ERROR;
    }
  else if (reply_matches (self, query, &reply_score))
    *score += reply_score;
  else if (self->errors != NULL && query->error != NULL && g_strv_contains ((const char * const *) self->errors, query->error))
    *score += WEIGHT_ERROR;
  else
    return FALSE;

  if (self->hosts != NULL)
    {
      if (!host_matches (self->hosts, query->host))
        return FALSE;
      *score += WEIGHT_HOST;
    }

  if (self->ports != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < self->ports->len; i++)
        found = found || g_array_index (self->ports, guint16, i) == query->port;
      if (!found)
        return FALSE;
      *score += WEIGHT_PORT;
    }

  if (self->providers != NULL)
    {
      if (query->provider_id == NULL
          || !g_strv_contains ((const char * const *) self->providers, query->provider_id))
        return FALSE;
      *score += WEIGHT_PROVIDER;
    }

  return TRUE;
}

static char *
fill_text (const char *text,
           const char *address,
           const char *from,
           const char *domain)
{
  g_autoptr(GString) filled = NULL;

  if (text == NULL)
    return NULL;

  filled = g_string_new (text);
  g_string_replace (filled, "{address}", address, 0);
  g_string_replace (filled, "{from}", from, 0);
  g_string_replace (filled, "{domain}", domain, 0);

  return g_string_free (g_steal_pointer (&filled), FALSE);
}

static GStrv
fill_strv (GStrv       strv,
           const char *address,
           const char *from,
           const char *domain)
{
  GStrv filled = g_new0 (char *, g_strv_length (strv) + 1);

  for (guint i = 0; strv[i] != NULL; i++)
    filled[i] = fill_text (strv[i], address, from, domain);

  return filled;
}

/**
 * stamp_explanation_fill:
 * @self: a #StampExplanation
 * @query: the failure, for the addresses
 *
 * Returns: (transfer full): a copy of @self to show, with {address},
 *   {from} and {domain} filled in (names in capitals where unknown)
 */
StampExplanation *
stamp_explanation_fill (StampExplanation          *self,
                        const StampDiagnosisQuery *query)
{
  StampExplanation *filled;
  /* Translators: stands for the mailbox address in a step or a command
   * when it is not known; the same word as the --address option's. */
  const char *address = query->address != NULL ? query->address
                        : query->from != NULL ? query->from : _("ADDRESS");
  const char *from = query->from != NULL ? query->from : address;
  const char *at = strrchr (from, '@');
  /* Translators: stands for the sender's domain in a step or a command
   * when it is not known. */
  const char *domain = at != NULL ? at + 1 : _("DOMAIN");

  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);

  filled = g_object_new (STAMP_TYPE_EXPLANATION, NULL);
  filled->id = g_strdup (self->id);
  filled->title = g_strdup (self->title);
  filled->causes = fill_strv (self->causes, address, from, domain);
  filled->steps = fill_strv (self->steps, address, from, domain);
  filled->command = fill_text (self->command, address, from, domain);
  filled->link = g_strdup (self->link);
  filled->fix = g_strdup (self->fix);

  return filled;
}

/**
 * stamp_explanation_to_text:
 * @self: a #StampExplanation
 *
 * Returns: (transfer full): the explanation as plain text, for a terminal
 */
char *
stamp_explanation_to_text (StampExplanation *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);

  g_string_append_printf (text, "%s\n\n%s\n", self->title, _("Likely causes:"));
  for (guint i = 0; self->causes[i] != NULL; i++)
    g_string_append_printf (text, "  • %s\n", self->causes[i]);
  g_string_append_printf (text, "\n%s\n", _("What to do:"));
  for (guint i = 0; self->steps[i] != NULL; i++)
    g_string_append_printf (text, "  %u. %s\n", i + 1, self->steps[i]);
  if (self->command != NULL)
    g_string_append_printf (text, "\n%s\n  %s\n", _("Administrator command:"), self->command);
  if (self->link != NULL)
    g_string_append_printf (text, "\n%s %s\n", _("More:"), self->link);

  return g_string_free (text, FALSE);
}

/**
 * stamp_explanation_to_markdown:
 * @self: a #StampExplanation
 *
 * Returns: (transfer full): the explanation as a Markdown section body
 */
char *
stamp_explanation_to_markdown (StampExplanation *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);

  g_string_append_printf (text, "**%s**\n\n%s\n\n", self->title, _("Likely causes:"));
  for (guint i = 0; self->causes[i] != NULL; i++)
    g_string_append_printf (text, "- %s\n", self->causes[i]);
  g_string_append_printf (text, "\n%s\n\n", _("What to do:"));
  for (guint i = 0; self->steps[i] != NULL; i++)
    g_string_append_printf (text, "%u. %s\n", i + 1, self->steps[i]);
  if (self->command != NULL)
    g_string_append_printf (text, "\n%s\n\n```\n%s\n```\n", _("Administrator command:"), self->command);
  if (self->link != NULL)
    g_string_append_printf (text, "\n%s <%s>\n", _("More:"), self->link);

  return g_string_free (text, FALSE);
}

static void
add_strv (JsonBuilder *builder,
          const char  *member,
          GStrv        strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_nullable (JsonBuilder *builder,
              const char  *member,
              const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * stamp_explanation_to_json:
 * @self: a #StampExplanation
 *
 * Returns: (transfer full): the explanation as a JSON object
 */
JsonNode *
stamp_explanation_to_json (StampExplanation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (STAMP_IS_EXPLANATION (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  add_strv (builder, "causes", self->causes);
  add_strv (builder, "steps", self->steps);
  add_nullable (builder, "command", self->command);
  add_nullable (builder, "link", self->link);
  add_nullable (builder, "fix", self->fix);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
