/* stamp-sign-in-health.c
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

#define G_LOG_DOMAIN "stamp-sign-in-health"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-sign-in-health.h"
#include "stamp-util.h"

/* What Stamp knows of each OAuth sign-in, so that a refresh token is kept
 * alive before the provider's inactivity window closes and a person hears of
 * a lapse before their scanner's mail stops. The record holds times and a
 * reason in words, never a token: it lives in the state folder, not the
 * keyring. The app, the relay and stamp-cli all write it, so every change is
 * a read-modify-write under the file's lock, and the write is atomic. */

#define HEALTH_FORMAT          1
/* Recording is a few milliseconds of work; a holder that takes longer is
 * stuck, and a lost record is better than a stalled refresh. */
#define LOCK_TIMEOUT_SECONDS   2
#define SECONDS_PER_DAY        (24 * 60 * 60)
#define FAILURE_MAX_CHARS      300
/* A run of token characters this long in an error message is taken for a
 * token or code the provider quoted back. */
#define TOKEN_LIKE_MIN_CHARS   32

G_DEFINE_BOXED_TYPE (StampSignInHealth, stamp_sign_in_health,
                     stamp_sign_in_health_copy, stamp_sign_in_health_free)

typedef void (*EditFunc) (JsonObject *record,
                          gpointer    data);

static char *
dup_health_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "stamp", "sign-ins.json", NULL);
}

static char *
dup_key (const char *address)
{
  return g_utf8_strdown (address, -1);
}

/* Graph accounts always send with a token, whatever their SMTP settings. */
static gboolean
account_uses_oauth (StampAccount *account)
{
  return stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH
         || stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));
}

/* Whole days from @from to @to, counting a started day as one. */
static gint64
days_until (gint64 from,
            gint64 to)
{
  return (to - from + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
}

/* The error's first line, shortened, with anything that looks like a token
 * hidden through the one redaction function, stamp_hide_secrets(): the
 * record is a plain file, and this function is not told the secrets. The
 * token endpoint's errors carry no token today; this keeps it so if a
 * provider ever quotes a refresh token or code back. */
static char *
redact_failure (const char *message)
{
  g_autofree char *line = g_strndup (message, strcspn (message, "\r\n"));
  g_autoptr(GPtrArray) runs = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autofree char *hidden = NULL;
  const char *p = line;

  while (*p != '\0')
    {
      const char *run = p;

      while (*p != '\0' && (g_ascii_isalnum (*p) || strchr ("-_.~+/=", *p) != NULL))
        p++;

      if (p - run >= TOKEN_LIKE_MIN_CHARS)
        g_ptr_array_add (runs, g_strndup (run, p - run));
      if (p == run)
        p++;
    }

  hidden = stamp_hide_secrets (line, (const char * const *) runs->pdata);

  if (g_utf8_strlen (hidden, -1) > FAILURE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (hidden, 0, FAILURE_MAX_CHARS - 1);

      g_free (hidden);
      hidden = g_strconcat (cut, "…", NULL);
    }

  return g_utf8_make_valid (hidden, -1);
}

/* A refresh that failed for good: only a new sign-in helps. */
static gboolean
error_is_permanent (const GError *error)
{
  return g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED)
         || g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT);
}

static StampSignInHealth *
health_from_json (JsonObject *record)
{
  StampSignInHealth *health = g_new0 (StampSignInHealth, 1);

  health->signed_in_at = json_object_get_int_member_with_default (record, "signed_in_at", 0);
  health->refresh_token_at = json_object_get_int_member_with_default (record, "refresh_token_at",
                                                                      0);
  health->last_refresh_at = json_object_get_int_member_with_default (record, "last_refresh_at", 0);
  health->last_failure_at = json_object_get_int_member_with_default (record, "last_failure_at", 0);
  health->last_failure = g_strdup (json_object_get_string_member_with_default (record,
                                                                               "last_failure",
                                                                               NULL));
  health->failure_permanent = json_object_get_boolean_member_with_default (record,
                                                                           "failure_permanent",
                                                                           FALSE);
  return health;
}

/* The "accounts" object of the file at @path: empty when there is no file;
 * NULL with *@damaged set when the file cannot be used. */
static JsonObject *
read_records (const char *path,
              gboolean   *damaged)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonNode *node;

  *damaged = FALSE;

  if (!json_parser_load_from_mapped_file (parser, path, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return json_object_new ();

      g_debug ("The sign-in records “%s” cannot be read: %s", path, error->message);
      *damaged = !(error->domain == G_FILE_ERROR);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *damaged = TRUE;
      return NULL;
    }

  root = json_node_get_object (node);
  if (json_object_get_int_member_with_default (root, "format", 0) != HEALTH_FORMAT)
    {
      *damaged = TRUE;
      return NULL;
    }

  node = json_object_get_member (root, "accounts");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *damaged = TRUE;
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

static gboolean
write_records (const char  *path,
               JsonObject  *records,
               GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  json_object_set_int_member (root, "format", HEALTH_FORMAT);
  json_object_set_object_member (root, "accounts", json_object_ref (records));
  json_node_set_object (node, root);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Keeps a damaged file for a person to look at, and lets the next write
 * start afresh. Called with the lock held. */
static void
move_damaged_aside (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);

  if (g_rename (path, aside) != 0)
    g_message ("The damaged sign-in records “%s” could not be moved aside: %s",
               path, g_strerror (errno));
  else
    g_message ("The sign-in records “%s” were damaged; they were moved to “%s” and start "
               "afresh", path, aside);
}

/* Changes the record of @address (NULL @edit: removes it) under the lock.
 * Health is a convenience: a record that cannot be written is logged, and
 * the sign-in or refresh it describes goes on. */
static void
edit_record (const char *address,
             EditFunc    edit,
             gpointer    data)
{
  g_autofree char *path = dup_health_path ();
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  g_autofree char *key = dup_key (address);
  g_autoptr(JsonObject) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean damaged = FALSE;
  JsonObject *record;
  int fd;

  fd = stamp_file_lock_acquire (lock_path, LOCK_TIMEOUT_SECONDS, NULL, &error);
  if (fd < 0)
    {
      g_message ("The sign-in record of %s was not updated: %s", address, error->message);
      return;
    }

  records = read_records (path, &damaged);
  if (records == NULL && damaged)
    {
      move_damaged_aside (path);
      records = json_object_new ();
    }

  if (records == NULL)
    {
      g_message ("The sign-in record of %s was not updated: “%s” cannot be read",
                 address, path);
      stamp_file_lock_release (fd);
      return;
    }

  if (edit == NULL)
    {
      if (!json_object_has_member (records, key))
        {
          stamp_file_lock_release (fd);
          return;
        }
      json_object_remove_member (records, key);
    }
  else
    {
      if (!json_object_has_member (records, key))
        json_object_set_object_member (records, key, json_object_new ());
      record = json_object_get_object_member (records, key);
      edit (record, data);
    }

  if (!write_records (path, records, &error))
    g_message ("The sign-in record of %s was not saved: %s", address, error->message);

  stamp_file_lock_release (fd);
}

static void
clear_failure (JsonObject *record)
{
  json_object_set_int_member (record, "last_failure_at", 0);
  json_object_set_boolean_member (record, "failure_permanent", FALSE);
  if (json_object_has_member (record, "last_failure"))
    json_object_remove_member (record, "last_failure");
}

static void
edit_sign_in (JsonObject *record,
              gpointer    data)
{
  gint64 now = stamp_get_now ();

  json_object_set_int_member (record, "signed_in_at", now);
  json_object_set_int_member (record, "refresh_token_at", now);
  clear_failure (record);
}

static void
edit_refresh (JsonObject *record,
              gpointer    data)
{
  gboolean rotated = GPOINTER_TO_INT (data);
  gint64 now = stamp_get_now ();

  json_object_set_int_member (record, "last_refresh_at", now);
  if (rotated)
    json_object_set_int_member (record, "refresh_token_at", now);
  clear_failure (record);
}

static void
edit_failure (JsonObject *record,
              gpointer    data)
{
  const GError *error = data;
  g_autofree char *reason = redact_failure (error->message);

  json_object_set_int_member (record, "last_failure_at", stamp_get_now ());
  json_object_set_string_member (record, "last_failure", reason);
  json_object_set_boolean_member (record, "failure_permanent", error_is_permanent (error));
}

/* The last time the refresh token was issued or used: the provider's
 * inactivity window runs from here. */
static gint64
last_activity (const StampSignInHealth *health)
{
  return MAX (health->signed_in_at, MAX (health->refresh_token_at, health->last_refresh_at));
}

/**
 * stamp_sign_in_health_copy:
 * @health: a #StampSignInHealth
 *
 * Returns: (transfer full): a copy of @health
 */
StampSignInHealth *
stamp_sign_in_health_copy (const StampSignInHealth *health)
{
  StampSignInHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_memdup2 (health, sizeof *health);
  copy->last_failure = g_strdup (health->last_failure);

  return copy;
}

/**
 * stamp_sign_in_health_free:
 * @health: (nullable): a #StampSignInHealth
 */
void
stamp_sign_in_health_free (StampSignInHealth *health)
{
  if (health == NULL)
    return;

  g_free (health->last_failure);
  g_free (health);
}

/**
 * stamp_sign_in_health_load:
 * @address: the account's address
 *
 * Reads what is recorded of @address's sign-in. Reading takes no lock:
 * writes replace the file atomically.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL when nothing is
 *   known (never signed in since Stamp kept records, or the file is damaged)
 */
StampSignInHealth *
stamp_sign_in_health_load (const char *address)
{
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  g_autoptr(JsonObject) records = NULL;
  gboolean damaged;

  g_return_val_if_fail (address != NULL, NULL);

  path = dup_health_path ();
  key = dup_key (address);
  records = read_records (path, &damaged);
  if (records == NULL || !json_object_has_member (records, key))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (records, key)))
    return NULL;

  return health_from_json (json_object_get_object_member (records, key));
}

/**
 * stamp_sign_in_health_record_sign_in:
 * @address: the account's address
 *
 * Records an interactive sign-in at stamp_get_now(): a new refresh token,
 * and the end of any failure.
 */
void
stamp_sign_in_health_record_sign_in (const char *address)
{
  g_return_if_fail (address != NULL);

  edit_record (address, edit_sign_in, NULL);
}

/**
 * stamp_sign_in_health_record_refresh:
 * @address: the account's address
 * @refresh_token_rotated: whether the provider sent a new refresh token
 *
 * Records a successful refresh at stamp_get_now().
 */
void
stamp_sign_in_health_record_refresh (const char *address,
                                     gboolean    refresh_token_rotated)
{
  g_return_if_fail (address != NULL);

  edit_record (address, edit_refresh, GINT_TO_POINTER (refresh_token_rotated));
}

/**
 * stamp_sign_in_health_record_failure:
 * @address: the account's address
 * @error: why the refresh failed
 *
 * Records a failed refresh at stamp_get_now(), with the error's message
 * redacted. It is permanent when the provider says the sign-in is gone
 * (%STAMP_ERROR_OAUTH_SIGN_IN_NEEDED: invalid_grant, AADSTS700082, 50173,
 * 54005, 70008) or the consent was removed (%STAMP_ERROR_OAUTH_CONSENT); a
 * network failure is not. A cancelled refresh is not a failure.
 */
void
stamp_sign_in_health_record_failure (const char   *address,
                                     const GError *error)
{
  g_return_if_fail (address != NULL);
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  edit_record (address, edit_failure, (gpointer) error);
}

/**
 * stamp_sign_in_health_forget:
 * @address: the account's address
 *
 * Removes the record of @address, for a removed account or sign-in.
 */
void
stamp_sign_in_health_forget (const char *address)
{
  g_return_if_fail (address != NULL);

  edit_record (address, NULL, NULL);
}

/**
 * stamp_sign_in_health_get_state:
 * @health: (nullable): the account's record
 * @account: the account
 * @now: the time to judge at, from stamp_get_now()
 * @deadline: (out) (optional): when the state's event happens: the lapse
 *   (OK, EXPIRING, LAPSED), the secret's expiry (SECRET_*), the failure
 *   (FAILED); 0 for NONE
 *
 * Judges a sign-in. When several states apply, the worst wins: FAILED,
 * LAPSED, SECRET_EXPIRED, SECRET_EXPIRING, EXPIRING, OK.
 *
 * Google lets the refresh tokens of an app in “Testing” lapse after 7 days;
 * Stamp cannot see an app's publishing status, so it judges such a sign-in
 * by the 180-day window and learns of the lapse from the failed refresh.
 *
 * Returns: the state
 */
StampSignInState
stamp_sign_in_health_get_state (const StampSignInHealth *health,
                                StampAccount            *account,
                                gint64                   now,
                                gint64                  *deadline)
{
  gint64 lapse_at;
  gint64 secret_expires;
  gint64 unused;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), STAMP_SIGN_IN_STATE_NONE);

  if (deadline == NULL)
    deadline = &unused;
  *deadline = 0;

  if (!account_uses_oauth (account) || health == NULL)
    return STAMP_SIGN_IN_STATE_NONE;

  if (health->failure_permanent && health->last_failure_at >= last_activity (health))
    {
      *deadline = health->last_failure_at;
      return STAMP_SIGN_IN_STATE_FAILED;
    }

  if (last_activity (health) == 0)
    return STAMP_SIGN_IN_STATE_NONE;

  lapse_at = last_activity (health) + stamp_sign_in_inactivity_window (account);
  if (now >= lapse_at)
    {
      *deadline = lapse_at;
      return STAMP_SIGN_IN_STATE_LAPSED;
    }

  secret_expires = stamp_account_get_client_secret_expires (account);
  if (secret_expires > 0 && now >= secret_expires)
    {
      *deadline = secret_expires;
      return STAMP_SIGN_IN_STATE_SECRET_EXPIRED;
    }

  if (secret_expires > 0 && secret_expires - now <= STAMP_SIGN_IN_WARN_DAYS * SECONDS_PER_DAY)
    {
      *deadline = secret_expires;
      return STAMP_SIGN_IN_STATE_SECRET_EXPIRING;
    }

  *deadline = lapse_at;
  if (lapse_at - now <= STAMP_SIGN_IN_WARN_DAYS * SECONDS_PER_DAY)
    return STAMP_SIGN_IN_STATE_EXPIRING;

  return STAMP_SIGN_IN_STATE_OK;
}

/**
 * stamp_sign_in_inactivity_window:
 * @account: the account
 *
 * How long the provider keeps an unused refresh token: 90 days for
 * Microsoft (AADSTS700082), 180 for Google, and 90 for any other, as the
 * shorter guess warns sooner.
 *
 * Returns: seconds
 */
gint64
stamp_sign_in_inactivity_window (StampAccount *account)
{
  const char *provider_id;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), 90 * SECONDS_PER_DAY);

  provider_id = stamp_account_get_provider_id (account);
  if (g_strcmp0 (provider_id, "google") == 0)
    return 180 * SECONDS_PER_DAY;

  return 90 * SECONDS_PER_DAY;
}

static char *
describe_ok (const StampSignInHealth *health,
             gint64                   now)
{
  gint64 refreshed_at = MAX (health->last_refresh_at, health->signed_in_at);
  gint64 age = MAX (0, now - refreshed_at);
  gint64 days = age / SECONDS_PER_DAY;

  if (age < 60)
    return g_strdup (_("Signed in · refreshed just now"));

  if (days == 0)
    return g_strdup (_("Signed in · refreshed today"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signed in · refreshed %d day ago",
                                       "Signed in · refreshed %d days ago", (gulong) days),
                          (int) days);
}

/* The failure's first sentence without its full stop, to go inside a
 * sentence: the rest of the provider's explanation is mostly "Sign in
 * again", which the line says anyway. */
static char *
dup_failure_reason (const StampSignInHealth *health)
{
  g_autofree char *reason = NULL;
  const char *sentence_end;
  gsize len;

  if (health->last_failure == NULL || *health->last_failure == '\0')
    return g_strdup (_("the provider refused the stored sign-in"));

  reason = g_strndup (health->last_failure, strcspn (health->last_failure, "\r\n"));
  sentence_end = strstr (reason, ". ");
  if (sentence_end != NULL)
    reason[sentence_end - reason] = '\0';
  g_strstrip (reason);
  len = strlen (reason);
  if (len > 0 && reason[len - 1] == '.')
    reason[len - 1] = '\0';

  return g_steal_pointer (&reason);
}

/**
 * stamp_sign_in_health_describe:
 * @health: (nullable): the account's record
 * @account: the account
 * @now: the time to judge at, from stamp_get_now()
 *
 * Says in one translated line how the account's sign-in is, for an account
 * row and `stamp-cli accounts show`.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL for an account
 *   that does not sign in with OAuth
 */
char *
stamp_sign_in_health_describe (const StampSignInHealth *health,
                               StampAccount            *account,
                               gint64                   now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *day = NULL;
  g_autofree char *reason = NULL;
  gint64 deadline = 0;
  gint64 days;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  if (!account_uses_oauth (account))
    return NULL;

  switch (stamp_sign_in_health_get_state (health, account, now, &deadline))
    {
    case STAMP_SIGN_IN_STATE_NONE:
      return g_strdup (_("Not signed in"));

    case STAMP_SIGN_IN_STATE_OK:
      return describe_ok (health, now);

    case STAMP_SIGN_IN_STATE_EXPIRING:
      days = days_until (now, deadline);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Sign-in expires in %d day unless used",
                                           "Sign-in expires in %d days unless used",
                                           (gulong) days),
                              (int) days);

    case STAMP_SIGN_IN_STATE_SECRET_EXPIRING:
      days = days_until (now, deadline);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Client secret expires in %d day",
                                           "Client secret expires in %d days",
                                           (gulong) days),
                              (int) days);

    case STAMP_SIGN_IN_STATE_SECRET_EXPIRED:
      date = g_date_time_new_from_unix_utc (deadline);
      day = g_date_time_format (date, "%Y-%m-%d");
      /* TRANSLATORS: %s is a date such as 2026-12-31 */
      return g_strdup_printf (_("Client secret expired on %s: make a new one"), day);

    case STAMP_SIGN_IN_STATE_LAPSED:
      return g_strdup (_("Sign-in lapsed: sign in again"));

    case STAMP_SIGN_IN_STATE_FAILED:
      reason = dup_failure_reason (health);
      /* TRANSLATORS: %s is the reason the provider gave, such as “The stored
       * sign-in was revoked, for example after a password change” */
      return g_strdup_printf (_("Sign-in failed: %s: sign in again"), reason);

    default:
      g_assert_not_reached ();
    }
}
