/* stamp-diagnosis.c
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


#define G_LOG_DOMAIN "stamp-diagnosis"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-diagnosis-resources.h"
#include "stamp-diagnosis.h"
#include "stamp-error.h"

/**
 * StampDiagnosis:
 *
 * The built-in knowledge of failures (`data/diagnosis.json`, a core
 * GResource): given a server's reply, a local failure, or both, it finds
 * the most specific explanation, with the fix and, where one helps, the
 * exact admin command.
 *
 * It also catches two traps before they fail: an app password pasted with
 * the spaces it is displayed with, and a sender address that is not the
 * signed-in mailbox.
 */

#define DIAGNOSIS_RESOURCE "/io/github/stampmail/Stamp/core/diagnosis.json"

struct _StampDiagnosis
{
  GObject    parent_instance;

  GPtrArray *entries;
};

static GType
list_model_get_item_type (GListModel *model)
{
  return STAMP_TYPE_EXPLANATION;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return STAMP_DIAGNOSIS (model)->entries->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  StampDiagnosis *self = STAMP_DIAGNOSIS (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (StampDiagnosis, stamp_diagnosis, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
stamp_diagnosis_finalize (GObject *object)
{
  StampDiagnosis *self = (StampDiagnosis *)object;

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_diagnosis_parent_class)->finalize (object);
}

static void
stamp_diagnosis_class_init (StampDiagnosisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_diagnosis_finalize;
}

static void
stamp_diagnosis_init (StampDiagnosis *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * stamp_diagnosis_new_from_data:
 * @data: the database, JSON
 * @length: the length of @data, or -1 if it ends with a NUL
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the database
 */
StampDiagnosis *
stamp_diagnosis_new_from_data (const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(StampDiagnosis) self = g_object_new (STAMP_TYPE_DIAGNOSIS, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonArray *entries;

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL || json_object_get_int_member_with_default (object, "format", 0) != 1
      || !json_object_has_member (object, "entries")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "entries")))
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           "The diagnosis database is not format 1 with an entries array");
      return NULL;
    }

  entries = json_object_get_array_member (object, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      StampExplanation *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       "Diagnosis entry %u is not an object", i);
          return NULL;
        }

      entry = stamp_explanation_new_from_json (json_node_get_object (node), error);
      if (entry == NULL)
        return NULL;

      if (stamp_diagnosis_lookup_id (self, stamp_explanation_get_id (entry)) != NULL)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       "Diagnosis entry “%s” appears twice", stamp_explanation_get_id (entry));
          g_object_unref (entry);
          return NULL;
        }

      g_ptr_array_add (self->entries, entry);
    }

  return g_steal_pointer (&self);
}

static gpointer
load_default_cb (gpointer data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  StampDiagnosis *self = NULL;

  /* Our own GResource, so the linker keeps it (see stamp-provider-db.c). */
  bytes = g_resource_lookup_data (stamp_diagnosis_get_resource (), DIAGNOSIS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes != NULL)
    self = stamp_diagnosis_new_from_data (g_bytes_get_data (bytes, NULL),
                                          (gssize) g_bytes_get_size (bytes), &error);

  if (self == NULL)
    {
      /* The tests load the same file: this is a broken build. Failures
       * still show their own message, just without an explanation. */
      g_critical ("The built-in diagnosis database cannot be used: %s", error->message);
      self = g_object_new (STAMP_TYPE_DIAGNOSIS, NULL);
    }

  return self;
}

/**
 * stamp_diagnosis_get_default:
 *
 * Returns: (transfer none): the built-in database
 */
StampDiagnosis *
stamp_diagnosis_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_default_cb, NULL);
}

/**
 * stamp_diagnosis_lookup_id:
 * @self: a #StampDiagnosis
 * @id: an entry's id
 *
 * Returns: (transfer none) (nullable): the entry, as written (not filled in)
 */
StampExplanation *
stamp_diagnosis_lookup_id (StampDiagnosis *self,
                           const char     *id)
{
  g_return_val_if_fail (STAMP_IS_DIAGNOSIS (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      StampExplanation *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (stamp_explanation_get_id (entry), id) == 0)
        return entry;
    }

  return NULL;
}

/**
 * stamp_diagnosis_explain:
 * @self: a #StampDiagnosis
 * @query: what is known about the failure
 *
 * Returns: (transfer full) (nullable): the most specific explanation, with
 *   the addresses filled in, or %NULL when none applies
 */
StampExplanation *
stamp_diagnosis_explain (StampDiagnosis            *self,
                         const StampDiagnosisQuery *query)
{
  StampExplanation *best = NULL;
  StampExplanation *tied = NULL;
  guint best_score = 0;

  g_return_val_if_fail (STAMP_IS_DIAGNOSIS (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  /* The most specific entry wins, wherever it stands in the file. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      StampExplanation *entry = g_ptr_array_index (self->entries, i);
      guint score;

      if (!stamp_explanation_matches (entry, query, &score) || score < best_score)
        continue;

      tied = score == best_score ? entry : NULL;
      if (score > best_score)
        {
          best = entry;
          best_score = score;
        }
    }

  /* Two entries as specific as each other are a mistake in the database:
   * which one a person sees would hang on the order of the file. */
  if (tied != NULL)
    g_warning ("Diagnosis entries “%s” and “%s” match one failure equally well",
               stamp_explanation_get_id (best), stamp_explanation_get_id (tied));

  return best != NULL ? stamp_explanation_fill (best, query) : NULL;
}

/* The basic code at the start of a reply, as in "535 5.7.3 …". */
static int
parse_basic_code (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;

  if (text[0] >= '2' && text[0] <= '5' && g_ascii_isdigit (text[1]) && g_ascii_isdigit (text[2])
      && (text[3] == ' ' || text[3] == '-' || text[3] == '\0'))
    return (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');

  return 0;
}

static char *
parse_enhanced_code (const char *text)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("(?<![0-9.])[245]\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9.])",
                                                    G_REGEX_OPTIMIZE, 0, NULL));

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;

  return g_match_info_fetch (match, 0);
}

/**
 * stamp_diagnosis_explain_text:
 * @self: a #StampDiagnosis
 * @text: a reply as a person pasted it ("535 5.7.139 Authentication
 *   unsuccessful, …"), or an error message ("AADSTS50076: …")
 * @context: (nullable): the provider, server, addresses or failure kind, if known
 *
 * Returns: (transfer full) (nullable): the explanation
 */
StampExplanation *
stamp_diagnosis_explain_text (StampDiagnosis            *self,
                              const char                *text,
                              const StampDiagnosisQuery *context)
{
  StampDiagnosisQuery query = { NULL };
  g_autofree char *enhanced = NULL;

  g_return_val_if_fail (STAMP_IS_DIAGNOSIS (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (context != NULL)
    query = *context;

  enhanced = parse_enhanced_code (text);
  query.text = text;
  query.code = parse_basic_code (text);
  query.enhanced = enhanced;

  return stamp_diagnosis_explain (self, &query);
}

/**
 * stamp_diagnosis_explain_failure:
 * @self: a #StampDiagnosis
 * @error: why a send or sign-in failed
 * @reply: (nullable): the server's failing reply, if there was one
 * @context: (nullable): the provider, server and addresses
 *
 * Returns: (transfer full) (nullable): the explanation
 */
StampExplanation *
stamp_diagnosis_explain_failure (StampDiagnosis            *self,
                                 const GError              *error,
                                 StampSmtpReply            *reply,
                                 const StampDiagnosisQuery *context)
{
  StampDiagnosisQuery query = { NULL };
  g_autofree char *text = NULL;

  g_return_val_if_fail (STAMP_IS_DIAGNOSIS (self), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (context != NULL)
    query = *context;

  query.error = stamp_error_get_nick (error);
  if (reply != NULL)
    {
      text = stamp_smtp_reply_to_string (reply);
      query.code = stamp_smtp_reply_get_code (reply);
      query.enhanced = stamp_smtp_reply_get_enhanced_code (reply);
    }
  query.text = text != NULL ? text : error->message;

  return stamp_diagnosis_explain (self, &query);
}

/**
 * stamp_diagnosis_strip_app_password:
 * @password: a password as typed or pasted
 *
 * App passwords (Google's, Yahoo's) are shown as four groups of four
 * letters, "abcd efgh ijkl mnop"; the spaces are not part of them.
 *
 * Returns: (transfer full) (nullable): @password without the spaces when
 *   it has that shape, else %NULL (use it as it is)
 */
char *
stamp_diagnosis_strip_app_password (const char *password)
{
  GString *stripped;

  g_return_val_if_fail (password != NULL, NULL);

  if (strlen (password) != 19)
    return NULL;

  for (guint i = 0; i < 19; i++)
    {
      gboolean space_here = i % 5 == 4;

      if (space_here ? password[i] != ' ' : !g_ascii_isalpha (password[i]))
        return NULL;
    }

  stripped = g_string_sized_new (16);
  for (guint i = 0; i < 19; i++)
    {
      if (password[i] != ' ')
        g_string_append_c (stripped, password[i]);
    }

  return g_string_free (stripped, FALSE);
}
