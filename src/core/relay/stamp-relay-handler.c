/* stamp-relay-handler.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-graph-client.h"
#include "stamp-provider-db.h"
#include "stamp-relay-private.h"

/* The relay's rules for its submission server, in the connection threads:
 * who may start which TLS version, who may sign in or send without
 * signing in, from where, as which sender, and where messages go (the
 * spool). Never an open relay: a client sends only as a device, and a
 * device without sign-in only from its own networks.
 *
 * Legacy TLS is a per-device rule: a client may start TLS 1.0 or 1.1 only
 * when its address is in the --allow-from list of a device whose
 * --tls-min is that low; a device without --allow-from never gets it,
 * since the server must pick the versions before anyone signs in. After
 * sign-in the device's own minimum is checked again. */

static GPtrArray *
dup_rules (StampRelay *self)
{
  GPtrArray *rules;

  g_mutex_lock (&self->lock);
  rules = g_ptr_array_ref (self->rules);
  g_mutex_unlock (&self->lock);

  return rules;
}

static gboolean
rule_matches (StampRelayRule *rule,
              GInetAddress   *address)
{
  for (guint i = 0; address != NULL && i < rule->networks->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (rule->networks, i), address))
      return TRUE;

  return FALSE;
}

static gboolean
rule_allows (StampRelayRule *rule,
             GInetAddress   *address)
{
  return rule->networks->len == 0 || rule_matches (rule, address);
}

static StampTlsVersion
parse_tls_version (const char *name)
{
  if (g_strcmp0 (name, "TLS1.0") == 0)
    return STAMP_TLS_VERSION_1_0;
  if (g_strcmp0 (name, "TLS1.1") == 0)
    return STAMP_TLS_VERSION_1_1;
  if (g_strcmp0 (name, "TLS1.2") == 0)
    return STAMP_TLS_VERSION_1_2;
  return STAMP_TLS_VERSION_1_3;
}

static StampTlsVersion
tls_min_version (gpointer    user_data,
                 const char *client_ip)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (client_ip);
  StampTlsVersion min_version = STAMP_TLS_VERSION_1_2;

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (rule_matches (rule, address))
        min_version = MIN (min_version, stamp_relay_device_get_tls_min (rule->device));
    }

  return min_version;
}

static gboolean
may_sign_in_without_tls (gpointer    user_data,
                         const char *client_ip)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (client_ip);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (stamp_relay_device_get_allow_plaintext (rule->device) &&
          !stamp_relay_device_get_no_sign_in (rule->device) && rule_allows (rule, address))
        return TRUE;
    }

  return FALSE;
}

static char *
identify_without_sign_in (gpointer    user_data,
                          const char *client_ip)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (client_ip);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      /* --no-sign-in requires --allow-from: an empty list matches nothing. */
      if (stamp_relay_device_get_no_sign_in (rule->device) && rule_matches (rule, address))
        return g_strdup (stamp_relay_device_get_name (rule->device));
    }

  return NULL;
}

/* Under lock. Drops failures older than the window; returns how many are
 * left. */
static guint
count_failures (StampRelay *self,
                const char *client_ip)
{
  GArray *times = g_hash_table_lookup (self->failures, client_ip);
  gint64 window = (gint64) STAMP_RELAY_FAILED_SIGN_IN_WINDOW * G_USEC_PER_SEC;
  gint64 since = g_get_monotonic_time () - window;

  while (times != NULL && times->len > 0 && g_array_index (times, gint64, 0) < since)
    g_array_remove_index (times, 0);

  return times != NULL ? times->len : 0;
}

static void
record_failure (StampRelay *self,
                const char *client_ip)
{
  GArray *times;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  times = g_hash_table_lookup (self->failures, client_ip);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->failures, g_strdup (client_ip), times);
    }
  /* Only as many as the limit need remembering. */
  if (times->len >= STAMP_RELAY_MAX_FAILED_SIGN_INS)
    g_array_remove_index (times, 0);
  g_array_append_val (times, now);
  g_mutex_unlock (&self->lock);
}

/* Compares in a time that tells nothing of where they differ, or of the
 * stored password's length: both are hashed first. */
static gboolean
passwords_equal (const char *given,
                 const char *stored)
{
  guint8 a[32];
  guint8 b[32];
  gsize a_len = sizeof a;
  gsize b_len = sizeof b;
  g_autoptr(GChecksum) ca = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) cb = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 diff = 0;

  g_checksum_update (ca, (const guchar *) given, strlen (given));
  g_checksum_update (cb, (const guchar *) stored, strlen (stored));
  g_checksum_get_digest (ca, a, &a_len);
  g_checksum_get_digest (cb, b, &b_len);

  for (gsize i = 0; i < sizeof a; i++)
    diff |= a[i] ^ b[i];

  return diff == 0;
}

/* Under lock. The passwords are read from the keyring at start and when
 * the device file changes; only a sign-in in the first moments after that
 * waits for them, a few seconds at most. */
static const char *
wait_for_password (StampRelay *self,
                   const char *user)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  const char *password;

  while ((password = g_hash_table_lookup (self->passwords, user)) == NULL &&
         self->pending_lookups > 0)
    if (!g_cond_wait_until (&self->loaded, &self->lock, until))
      break;

  return password;
}

static char *
authenticate (gpointer     user_data,
              const char  *client_ip,
              const char  *user,
              const char  *password,
              const char  *tls_version,
              GError     **error)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (client_ip);
  StampRelayRule *found = NULL;
  StampRelayDevice *device;
  const char *stored;
  gboolean equal;
  guint failures;

  g_mutex_lock (&self->lock);
  failures = count_failures (self, client_ip);
  g_mutex_unlock (&self->lock);
  if (failures >= STAMP_RELAY_MAX_FAILED_SIGN_INS)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_THROTTLED,
                   _("Too many failed sign-ins from %s; try again in %d minutes"),
                   client_ip, STAMP_RELAY_FAILED_SIGN_IN_WINDOW / 60);
      return NULL;
    }

  for (guint i = 0; i < rules->len && found == NULL; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (!stamp_relay_device_get_no_sign_in (rule->device) &&
          g_strcmp0 (stamp_relay_device_get_user (rule->device), user) == 0)
        found = rule;
    }

  if (found == NULL)
    {
      record_failure (self, client_ip);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED,
                   _("no device has this user name"));
      return NULL;
    }

  device = found->device;
  if (!rule_allows (found, address))
    {
      record_failure (self, client_ip);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED,
                   _("the device “%s” may sign in only from its allowed networks"),
                   stamp_relay_device_get_name (device));
      return NULL;
    }

  if (tls_version == NULL && !stamp_relay_device_get_allow_plaintext (device))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED,
                   _("The device “%s” must send STARTTLS before signing in"),
                   stamp_relay_device_get_name (device));
      return NULL;
    }

  if (tls_version != NULL &&
      parse_tls_version (tls_version) < stamp_relay_device_get_tls_min (device))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_VERSION,
                   _("The device “%s” must use TLS %s or newer"),
                   stamp_relay_device_get_name (device),
                   stamp_tls_version_to_string (stamp_relay_device_get_tls_min (device)));
      return NULL;
    }

  g_mutex_lock (&self->lock);
  stored = wait_for_password (self, user);
  equal = stored != NULL && passwords_equal (password, stored);
  g_mutex_unlock (&self->lock);

  if (stored == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_KEYRING,
                   _("the keyring holds no password for the device “%s”"),
                   stamp_relay_device_get_name (device));
      return NULL;
    }

  if (!equal)
    {
      record_failure (self, client_ip);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED,
                   _("wrong password for the device “%s”"),
                   stamp_relay_device_get_name (device));
      return NULL;
    }

  return g_strdup (stamp_relay_device_get_name (device));
}

static StampRelayDevice *
dup_device (StampRelay *self,
            const char *name)
{
  g_autoptr(GPtrArray) rules = dup_rules (self);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (g_str_equal (stamp_relay_device_get_name (rule->device), name))
        return g_object_ref (rule->device);
    }

  return NULL;
}

static gboolean
check_sender (gpointer     user_data,
              const char  *identity,
              const char  *sender,
              GError     **error)
{
  StampRelay *self = user_data;
  g_autoptr(StampRelayDevice) device = dup_device (self, identity);
  const char * const *aliases;
  const char *account;

  if (device == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_SENDER_REJECTED,
                   _("The device “%s” was removed"), identity);
      return FALSE;
    }

  account = stamp_relay_device_get_account (device);
  aliases = stamp_relay_device_get_from_aliases (device);
  if (g_ascii_strcasecmp (sender, account) == 0)
    return TRUE;
  for (guint i = 0; aliases != NULL && aliases[i] != NULL; i++)
    if (g_ascii_strcasecmp (sender, aliases[i]) == 0)
      return TRUE;

  if (aliases == NULL || aliases[0] == NULL)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_SENDER_REJECTED,
                 _("This device may send only as %s, not as <%s>"), account, sender);
  else
    {
      g_autofree char *others = g_strjoinv (", ", (char **) aliases);

      g_set_error (error, STAMP_ERROR, STAMP_ERROR_SENDER_REJECTED,
                   _("This device may send only as %s or %s, not as <%s>"),
                   account, others, sender);
    }
  return FALSE;
}

static gpointer
open_message (gpointer                  user_data,
              const StampSmtpEnvelope  *envelope,
              GOutputStream           **stream,
              GError                  **error)
{
  StampRelay *self = user_data;
  g_autoptr(StampRelayDevice) device = dup_device (self, envelope->identity);
  StampRelayIncoming *incoming;

  if (device == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_SENDER_REJECTED,
                   _("The device “%s” was removed"), envelope->identity);
      return NULL;
    }

  incoming = stamp_relay_spool_begin (self->spool, stamp_relay_device_get_account (device),
                                      envelope->identity, envelope->client_ip, envelope->sender,
                                      envelope->recipients, error);
  if (incoming != NULL)
    *stream = stamp_relay_incoming_get_stream (incoming);

  return incoming;
}

static char *
commit_message (gpointer   user_data,
                gpointer   message,
                GError   **error)
{
  StampRelay *self = user_data;
  char *id = stamp_relay_incoming_commit (message, error);

  if (id != NULL)
    {
      if (self->queue != NULL)
        stamp_relay_queue_kick (self->queue);
      _stamp_relay_changed (self);
    }

  return id;
}

static void
free_message (gpointer user_data,
              gpointer message)
{
  stamp_relay_incoming_free (message);
}

static guint64
max_message_size (gpointer    user_data,
                  const char *identity)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (g_str_equal (stamp_relay_device_get_name (rule->device), identity))
        return rule->max_size;
    }

  return 0;
}

/* Graph's limit is the one a device meets first: say whose it is. */
static char *
size_refusal (gpointer    user_data,
              const char *identity)
{
  StampRelay *self = user_data;
  g_autoptr(GPtrArray) rules = dup_rules (self);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);

      if (g_str_equal (stamp_relay_device_get_name (rule->device), identity) && rule->graph)
        return g_strdup_printf (_("The message is over Microsoft Graph’s 4 MB limit: its "
                                  "account sends through Microsoft Graph, which takes at most "
                                  "%u bytes; send it smaller, or in parts"),
                                (guint) STAMP_GRAPH_MAX_MESSAGE);
    }

  return NULL;
}

static void
log_event (gpointer    user_data,
           const char *client_ip,
           const char *identity,
           const char *event)
{
  _stamp_relay_log (user_data, client_ip, identity, event);
}

const StampSmtpServerHandler _stamp_relay_handler = {
  tls_min_version,
  may_sign_in_without_tls,
  identify_without_sign_in,
  authenticate,
  check_sender,
  open_message,
  commit_message,
  free_message,
  log_event,
  max_message_size,
  size_refusal,
};

static void
rule_free (StampRelayRule *rule)
{
  g_clear_object (&rule->device);
  g_clear_pointer (&rule->networks, g_ptr_array_unref);
  g_free (rule);
}

/* What the account's provider takes at most (providers.json's
 * max_message_bytes), so that a device hears 552 at once rather than the
 * message being held after an upstream refusal; 0 when unknown. Microsoft
 * Graph takes less than SMTP: a request of 4 MB, the message base64 in it
 * (its draft and upload route for big attachments is not used). */
static guint64
account_max_size (StampAccount *account)
{
  StampProvider *provider = NULL;
  guint64 max_size = 0;
  gint64 limit;

  if (account != NULL && stamp_account_get_provider_id (account) != NULL)
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                            stamp_account_get_provider_id (account));
  limit = provider != NULL ? stamp_provider_get_limit (provider, "max_message_bytes") : -1;
  if (limit > 0)
    max_size = (guint64) limit;

  if (account != NULL && stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
    max_size = max_size > 0 ? MIN (max_size, STAMP_GRAPH_MAX_MESSAGE) : STAMP_GRAPH_MAX_MESSAGE;
  return max_size;
}

/* The devices as the connection threads will see them until the next
 * change of the device file. Runs on the main context, which owns
 * @accounts. */
GPtrArray *
_stamp_relay_build_rules (StampRelayDeviceStore *devices,
                          StampAccountStore     *accounts)
{
  GPtrArray *all = stamp_relay_device_store_get_devices (devices);
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);

  for (guint i = 0; i < all->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (all, i);
      const char * const *allow_from = stamp_relay_device_get_allow_from (device);
      StampAccount *account = stamp_account_store_lookup (accounts,
                                                          stamp_relay_device_get_account (device));
      StampRelayRule *rule = g_new0 (StampRelayRule, 1);

      rule->device = g_object_ref (device);
      rule->max_size = account_max_size (account);
      rule->graph = account != NULL
                    && stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH;
      rule->networks = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint j = 0; allow_from != NULL && allow_from[j] != NULL; j++)
        {
          GInetAddressMask *mask = g_inet_address_mask_new_from_string (allow_from[j], NULL);

          if (mask != NULL)
            g_ptr_array_add (rule->networks, mask);
          else
            g_warning ("Device “%s”: “%s” is not a network",
                       stamp_relay_device_get_name (device), allow_from[j]);
        }
      g_ptr_array_add (rules, rule);
    }

  return rules;
}
