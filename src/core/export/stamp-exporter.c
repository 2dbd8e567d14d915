/* stamp-exporter.c
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

#define G_LOG_DOMAIN "stamp-exporter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-exporter-private.h"
#include "stamp-time-limit.h"
#include "stamp-util.h"

/* How long the tenant's MX lookup may take before the host is guessed. */
#define TENANT_MX_TIMEOUT_SECONDS 5

/*
 * StampExporter:
 *
 * One export target (WP Mail SMTP, a printer's settings sheet, msmtp, …)
 * as an object the app can list. The targets themselves are constant
 * specs in the stamp-export-*.c files; this type gives them one face:
 * prepare (fetch the secret when asked for, find the tenant's MX host),
 * check whether an account can be served, and render.
 */
struct _StampExporter
{
  GObject                  parent_instance;

  const StampExporterSpec *spec;
};

G_DEFINE_FINAL_TYPE (StampExporter, stamp_exporter, G_TYPE_OBJECT)

/* The order the dialog and `export --list` show them in. */
static const StampExporterSpec *const all_specs[] = {
  &stamp_export_wp_mail_smtp,
  &stamp_export_fluent_smtp,
  &stamp_export_post_smtp,
  &stamp_export_easy_wp_smtp,
  &stamp_export_printer_sheet,
  &stamp_export_printer_sheet_pdf,
  &stamp_export_msmtp,
  &stamp_export_postfix,
  &stamp_export_postfix_sasl_passwd,
  &stamp_export_sasl_xoauth2,
  &stamp_export_mozilla_autoconfig,
  &stamp_export_apple_profile,
  &stamp_export_env,
  &stamp_export_nodemailer,
  &stamp_export_phpmailer,
  &stamp_export_python_smtplib,
  &stamp_export_git_send_email,
};

static void
stamp_exporter_class_init (StampExporterClass *klass)
{
}

static void
stamp_exporter_init (StampExporter *self)
{
}

static GListStore *
get_store (void)
{
  static GListStore *store;

  if (g_once_init_enter (&store))
    {
      GListStore *new_store = g_list_store_new (STAMP_TYPE_EXPORTER);

      for (gsize i = 0; i < G_N_ELEMENTS (all_specs); i++)
        {
          g_autoptr(StampExporter) exporter = g_object_new (STAMP_TYPE_EXPORTER, NULL);

          exporter->spec = all_specs[i];
          g_list_store_append (new_store, exporter);
        }
      g_once_init_leave (&store, new_store);
    }

  return store;
}

/**
 * stamp_exporter_list_all:
 *
 * Returns: (transfer full): every export target, as #StampExporter items
 */
GListModel *
stamp_exporter_list_all (void)
{
  return g_object_ref (G_LIST_MODEL (get_store ()));
}

/**
 * stamp_exporter_lookup:
 * @id: an exporter id, such as "msmtp"
 *
 * Returns: (transfer none) (nullable): the exporter, or %NULL
 */
StampExporter *
stamp_exporter_lookup (const char *id)
{
  GListModel *model = G_LIST_MODEL (get_store ());
  guint n = g_list_model_get_n_items (model);

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (model, i);

      if (g_str_equal (exporter->spec->id, id))
        return exporter;  /* the store keeps it alive */
    }

  return NULL;
}

const char *
stamp_exporter_get_id (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), NULL);

  return self->spec->id;
}

const char *
stamp_exporter_get_title (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), NULL);

  return _(self->spec->title);
}

const char *
stamp_exporter_get_description (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), NULL);

  return _(self->spec->description);
}

StampExportCategory
stamp_exporter_get_category (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), STAMP_EXPORT_CATEGORY_SENDER);

  return self->spec->category;
}

StampExportAuth
stamp_exporter_get_auth (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), 0);

  return self->spec->auth;
}

/* %TRUE when the output can carry the password, so offering "Include the
 * password" makes sense. */
gboolean
stamp_exporter_get_uses_secret (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), FALSE);

  return self->spec->uses_secret;
}

gboolean
stamp_exporter_get_is_binary (StampExporter *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), FALSE);

  return self->spec->binary;
}

/**
 * stamp_exporter_can_include_secret:
 * @self: an exporter
 * @context: what to export
 *
 * Whether the output for @context's account can hold its secret: the
 * password of a password account, or the refresh token of an OAuth account
 * for the few targets that keep one themselves. Most OAuth targets call
 * `stamp-cli token` instead and never hold a secret.
 *
 * Returns: %TRUE if "include the password" means something here
 */
gboolean
stamp_exporter_can_include_secret (StampExporter      *self,
                                   StampExportContext *context)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), FALSE);

  switch (stamp_export_context_get_auth (context))
    {
    case STAMP_EXPORT_AUTH_PASSWORD:
      return self->spec->uses_secret;
    case STAMP_EXPORT_AUTH_OAUTH:
      return self->spec->uses_refresh_token;
    case STAMP_EXPORT_AUTH_NONE:
    default:
      return FALSE;
    }
}

const char *
stamp_export_category_get_title (StampExportCategory category)
{
  switch (category)
    {
    case STAMP_EXPORT_CATEGORY_WORDPRESS:
      return _("WordPress Plugins");
    case STAMP_EXPORT_CATEGORY_DEVICE:
      return _("Printers and Scanners");
    case STAMP_EXPORT_CATEGORY_SENDER:
    default:
      return _("Other Senders");
    }
}

static const char *
auth_name (StampExportAuth auth)
{
  switch (auth)
    {
    case STAMP_EXPORT_AUTH_OAUTH:
      return _("an OAuth sign-in");
    case STAMP_EXPORT_AUTH_NONE:
      return _("no sign-in");
    case STAMP_EXPORT_AUTH_PASSWORD:
    default:
      return _("a password");
    }
}

/**
 * stamp_exporter_can_serve:
 * @self: an exporter
 * @context: what to export
 * @error: where the reason goes
 *
 * Whether the target can use @context's account as it is. When it cannot,
 * @error (%STAMP_ERROR_EXPORT_UNSUPPORTED) says why and what to do instead.
 *
 * Returns: %TRUE if rendering makes sense
 */
gboolean
stamp_exporter_can_serve (StampExporter       *self,
                          StampExportContext  *context,
                          GError             **error)
{
  StampExportAuth auth;

  g_return_val_if_fail (STAMP_IS_EXPORTER (self), FALSE);
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), FALSE);

  /* The target's own check first: it can say more than the generic
   * sentence below ("Apple Mail signs in to Microsoft by itself"). */
  if (self->spec->check != NULL && !self->spec->check (context, error))
    return FALSE;

  auth = stamp_export_context_get_auth (context);
  if ((self->spec->auth & auth) == 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   /* Translators: "Apple configuration profile cannot use an account that signs in with an OAuth sign-in" */
                   _("%s cannot use an account that signs in with %s"),
                   _(self->spec->title), auth_name (auth));
      return FALSE;
    }

  return TRUE;
}

/* An account that sends through Microsoft Graph, exported to a target
 * that speaks SMTP only: the file holds the account's SMTP settings, and
 * the notes say what that means and what works instead. */
static void
add_graph_notes (StampExporter      *self,
                 StampExportContext *context,
                 StampExportResult  *result)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *title = _(self->spec->title);
  g_autofree char *smtp_note = NULL;

  if (stamp_account_get_method (account) != STAMP_SEND_METHOD_GRAPH || self->spec->graph_mailer)
    return;

  if (self->spec->category == STAMP_EXPORT_CATEGORY_DEVICE
      && stamp_export_context_get_relay (context) != NULL)
    {
      /* The device sends to Stamp Relay, and the relay through Graph. */
      stamp_export_result_add_note (result, _("Stamp Relay sends this device’s mail through "
                                              "Microsoft Graph for the account; Graph takes "
                                              "messages of at most 3 MB, so the relay refuses "
                                              "bigger ones at once"));
      return;
    }

  /* Translators: %s is an export target, such as "msmtp" */
  smtp_note = g_strdup_printf (_("%s cannot send through Microsoft Graph, which this account "
                                 "uses: the file sets up the same account over SMTP with OAuth "
                                 "(XOAUTH2), which works only where the tenant allows SMTP AUTH; "
                                 "switch the account to SMTP in Stamp to test that first"),
                               title);
  stamp_export_result_add_note (result, smtp_note);
  stamp_export_result_add_note (result, _("Where the tenant keeps SMTP AUTH off, let the device "
                                          "or program send through Stamp Relay instead: the "
                                          "relay sends through Microsoft Graph for it"));
}

/**
 * stamp_exporter_render:
 * @self: an exporter
 * @context: what to export
 * @error: return location for a #GError
 *
 * Makes the target's file. Secrets appear only when @context carries one,
 * and the result is then private (to be written 0600).
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error set
 */
StampExportResult *
stamp_exporter_render (StampExporter       *self,
                       StampExportContext  *context,
                       GError             **error)
{
  g_autoptr(StampExportResult) result = NULL;

  g_return_val_if_fail (STAMP_IS_EXPORTER (self), NULL);
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), NULL);

  if (!stamp_exporter_can_serve (self, context, error))
    return NULL;

  result = stamp_export_result_new (self->spec->file_name, self->spec->mime_type);
  if (!self->spec->render (context, result, error))
    return NULL;
  add_graph_notes (self, context, result);

  g_return_val_if_fail (stamp_export_result_get_bytes (result) != NULL, NULL);
  return g_steal_pointer (&result);
}

/* Preparing: the secret from the keyring, the tenant's MX from DNS. */

typedef struct
{
  StampExportContext *context;
  StampTimeLimit     *lookup_limit;
  guint               pending;
  GError             *error;
} PrepareState;

static void
prepare_state_free (PrepareState *state)
{
  g_clear_object (&state->lookup_limit);
  g_clear_object (&state->context);
  g_clear_error (&state->error);
  g_free (state);
}

static void
prepare_step_done (GTask *task)
{
  PrepareState *state = g_task_get_task_data (task);

  if (--state->pending > 0)
    return;

  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else if (g_task_return_error_if_cancelled (task))
    return;
  else
    g_task_return_boolean (task, TRUE);
}

static void
secret_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrepareState *state = g_task_get_task_data (task);
  StampAccount *account = stamp_export_context_get_account (state->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSecret) secret = NULL;

  secret = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);
  if (secret != NULL)
    stamp_export_context_set_secret (state->context, secret);
  else if (state->error == NULL && error != NULL)
    state->error = g_steal_pointer (&error);
  else if (state->error == NULL)
    state->error = g_error_new (STAMP_ERROR, STAMP_ERROR_KEYRING,
                                _("No password or sign-in is stored for %s, so there is "
                                  "nothing to include; export without it"),
                                stamp_account_get_address (account));

  prepare_step_done (task);
}

/* Only a host that really is Microsoft's mail front door will do: the MX
 * of a domain whose mail goes through a filtering service first is not a
 * relay target. */
static char *
guess_tenant_mx (StampExportContext *context)
{
  StampProvider *provider = stamp_export_context_get_provider (context);
  g_autofree char *key = g_strdup (stamp_export_domain (context));
  const char *id = stamp_provider_get_id (provider);
  const char *cloud = g_str_equal (id, "microsoft365-usgov") ? "office365.us"
                      : g_str_equal (id, "microsoft365-china") ? "partner.outlook.cn"
                      : "outlook.com";

  g_strdelimit (key, ".", '-');
  return g_strdup_printf ("%s.mail.protection.%s", key, cloud);
}

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrepareState *state = g_task_get_task_data (task);
  StampProvider *provider = stamp_export_context_get_provider (state->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  guint16 best = G_MAXUINT16;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 preference;
      const char *host;

      g_variant_get (l->data, "(q&s)", &preference, &host);
      if (preference < best && stamp_provider_matches_mx (provider, host))
        {
          best = preference;
          g_free (found);
          found = g_strdup (host);
        }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (found != NULL)
    stamp_export_context_set_tenant_mx (state->context, found, FALSE);
  else
    {
      g_autofree char *guess = guess_tenant_mx (state->context);

      g_debug ("MX for the tenant: %s; guessing %s",
               error != NULL ? error->message : "no Microsoft host", guess);
      stamp_export_context_set_tenant_mx (state->context, guess, TRUE);
    }

  prepare_step_done (task);
}

/**
 * stamp_exporter_prepare_async:
 * @self: an exporter
 * @context: what to export
 * @secrets: (nullable): the keyring to take the secret from, when the person
 *   asked for it to be included; %NULL to leave it out
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fills in what @context needs from outside before rendering: the secret
 * (only with @secrets, and only for targets that can carry one) and, for
 * the Microsoft 365 relay paths, the tenant's MX host from DNS, guessed and
 * marked as a guess when DNS does not tell within five seconds.
 */
void
stamp_exporter_prepare_async (StampExporter       *self,
                              StampExportContext  *context,
                              StampSecretStore    *secrets,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareState *state;
  StampExportAuth auth;

  g_return_if_fail (STAMP_IS_EXPORTER (self));
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (context));
  g_return_if_fail (secrets == NULL || STAMP_IS_SECRET_STORE (secrets));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_exporter_prepare_async);
  state = g_new0 (PrepareState, 1);
  state->context = g_object_ref (context);
  state->pending = 1;  /* held until every step has started */
  g_task_set_task_data (task, state, (GDestroyNotify) prepare_state_free);

  auth = stamp_export_context_get_auth (context);
  stamp_export_context_set_secret (context, NULL);
  if (secrets != NULL && stamp_exporter_can_include_secret (self, context))
    {
      StampSecretKind kind = auth == STAMP_EXPORT_AUTH_OAUTH ? STAMP_SECRET_REFRESH_TOKEN
                                                             : STAMP_SECRET_PASSWORD;

      state->pending++;
      stamp_secret_store_lookup_async (secrets,
                                       stamp_account_get_address (stamp_export_context_get_account (context)),
                                       kind, cancellable, secret_cb, g_object_ref (task));
    }

  /* The tenant's MX is where a device's relay paths go, and where an
   * account without sign-in relays; others never need it. */
  if (self->spec->needs_tenant_mx
      && (self->spec->category == STAMP_EXPORT_CATEGORY_DEVICE || auth == STAMP_EXPORT_AUTH_NONE)
      && stamp_export_context_is_microsoft365 (context)
      && stamp_export_context_get_tenant_mx (context, NULL) == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      state->lookup_limit = stamp_time_limit_new (cancellable, TENANT_MX_TIMEOUT_SECONDS * 1000,
                                                  g_task_get_context (task));
      state->pending++;
      g_resolver_lookup_records_async (resolver, stamp_export_domain (context),
                                       G_RESOLVER_RECORD_MX,
                                       stamp_time_limit_get_cancellable (state->lookup_limit),
                                       mx_cb, g_object_ref (task));
    }

  prepare_step_done (task);
}

gboolean
stamp_exporter_prepare_finish (StampExporter  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
