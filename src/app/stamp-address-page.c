/* stamp-address-page.c
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

#define G_LOG_DOMAIN "stamp-address-page"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-address-page.h"
#include "stamp-announce.h"
#include "stamp-core.h"

/* How long typing must pause before discovery starts, so that every
 * keystroke does not start (and cancel) a round of DNS and HTTP. */
#define DISCOVERY_DELAY_MS 400

/*
 * StampAddressPage:
 *
 * The first page of the setup assistant: the address and the name shown
 * to recipients. As soon as the address is valid it looks up the sending
 * settings in the background, so that the next page has them ready; the
 * progress shows in one quiet line under the entries.
 */
struct _StampAddressPage
{
  AdwBin          parent_instance;

  /* Owned */
  StampDiscovery *discovery;
  GCancellable   *cancellable;
  GListStore     *candidates;
  char           *address;
  guint           delay_id;
  gboolean        complete;
  gboolean        busy;

  /* Template children */
  AdwEntryRow    *address_row;
  AdwEntryRow    *display_name_row;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
};

enum {
  PROP_0,
  PROP_BUSY,
  PROP_COMPLETE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampAddressPage, stamp_address_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
set_busy (StampAddressPage *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_complete (StampAddressPage *self,
              gboolean          complete)
{
  if (self->complete == complete)
    return;

  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
set_status (StampAddressPage *self,
            const char       *status)
{
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL && *status != '\0');
}

/* The end of a lookup changes only a quiet line under the entries, which a
 * screen reader does not notice by itself. */
static void
set_result_status (StampAddressPage *self,
                   const char       *status)
{
  set_status (self, status);
  stamp_announce (GTK_WIDGET (self->status_label), status);
}

/* Says what was found rather than how much: the provider when the best
 * suggestion is a known provider's, else its server. The next page lists
 * every suggestion. */
static char *
describe_found (GPtrArray *candidates)
{
  StampCandidate *best = g_ptr_array_index (candidates, 0);
  const char *provider_id = stamp_candidate_get_provider_id (best);
  StampProvider *provider = NULL;

  if (provider_id != NULL)
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (), provider_id);

  if (provider != NULL)
    /* Translators: %s is a mail provider, as in "Microsoft 365 settings found." */
    return g_strdup_printf (_("%s settings found."), stamp_provider_get_name (provider));

  /* Translators: %s is a mail server, as in "Found the settings of mail.example.org." */
  return g_strdup_printf (_("Found the settings of %s."), stamp_candidate_get_host (best));
}

static void
discovery_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StampAddressPage) self = user_data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;

  candidates = stamp_discovery_run_finish (STAMP_DISCOVERY (object), result, &error);
  /* A run that was superseded may have finished before it saw the cancel. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  set_busy (self, FALSE);

  if (candidates == NULL)
    {
      g_debug ("Discovery failed: %s", error->message);
      set_result_status (self, _("No settings found; you can enter them on the next page."));
      return;
    }

  g_list_store_splice (self->candidates, 0, g_list_model_get_n_items (G_LIST_MODEL (self->candidates)),
                       candidates->pdata, candidates->len);

  if (candidates->len == 0)
    set_result_status (self, _("No settings found; you can enter them on the next page."));
  else
    {
      g_autofree char *status = describe_found (candidates);

      set_result_status (self, status);
    }
}

static gboolean
start_discovery_cb (gpointer user_data)
{
  StampAddressPage *self = STAMP_ADDRESS_PAGE (user_data);
  g_autofree char *status = NULL;
  const char *domain = strrchr (self->address, '@');

  self->delay_id = 0;
  self->cancellable = g_cancellable_new ();

  /* Translators: %s is a mail domain such as example.com */
  status = g_strdup_printf (_("Looking up the sending settings for %s…"),
                            domain != NULL ? domain + 1 : self->address);
  set_status (self, status);
  set_busy (self, TRUE);

  stamp_discovery_run_async (self->discovery, self->address, self->cancellable,
                             discovery_done_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
stop_discovery (StampAddressPage *self)
{
  g_clear_handle_id (&self->delay_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

static void
address_changed_cb (StampAddressPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *address = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  gboolean valid;

  if (!gtk_editable_get_editable (GTK_EDITABLE (self->address_row)))
    return;
  if (g_strcmp0 (address, self->address) == 0)
    return;

  g_free (self->address);
  self->address = g_steal_pointer (&address);

  stop_discovery (self);
  g_list_store_remove_all (self->candidates);

  valid = stamp_address_check (self->address, &error);
  set_complete (self, valid);

  if (valid)
    {
      set_status (self, NULL);
      self->delay_id = g_timeout_add (DISCOVERY_DELAY_MS, start_discovery_cb, self);
    }
  else if (*self->address != '\0' && strchr (self->address, '@') != NULL)
    set_status (self, error->message);
  else
    set_status (self, NULL);

  if (valid || *self->address == '\0')
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
}

static void
stamp_address_page_dispose (GObject *object)
{
  StampAddressPage *self = (StampAddressPage *) object;

  stop_discovery (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_ADDRESS_PAGE);

  g_clear_object (&self->discovery);
  g_clear_object (&self->candidates);

  G_OBJECT_CLASS (stamp_address_page_parent_class)->dispose (object);
}

static void
stamp_address_page_finalize (GObject *object)
{
  StampAddressPage *self = (StampAddressPage *) object;

  g_clear_pointer (&self->address, g_free);

  G_OBJECT_CLASS (stamp_address_page_parent_class)->finalize (object);
}

static void
stamp_address_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StampAddressPage *self = STAMP_ADDRESS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_address_page_class_init (StampAddressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_address_page_dispose;
  object_class->finalize = stamp_address_page_finalize;
  object_class->get_property = stamp_address_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-address-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StampAddressPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, StampAddressPage, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, StampAddressPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, StampAddressPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
}

static void
stamp_address_page_init (StampAddressPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->discovery = stamp_discovery_new ();
  self->candidates = g_list_store_new (STAMP_TYPE_CANDIDATE);
  self->address = g_strdup ("");
}

/**
 * stamp_address_page_set_account:
 * @self: an address page
 * @account: the account being edited
 *
 * Shows @account's address, which can no longer change, and its name.
 * No discovery runs: the account already has its settings.
 */
void
stamp_address_page_set_account (StampAddressPage *self,
                                StampAccount     *account)
{
  g_return_if_fail (STAMP_IS_ADDRESS_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  stop_discovery (self);
  g_list_store_remove_all (self->candidates);

  g_free (self->address);
  self->address = g_strdup (stamp_account_get_address (account));
  gtk_editable_set_editable (GTK_EDITABLE (self->address_row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), self->address);
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         stamp_account_get_display_name (account) != NULL
                           ? stamp_account_get_display_name (account) : "");
  set_status (self, _("The address of a saved account cannot change."));
  set_complete (self, TRUE);
}

const char *
stamp_address_page_get_address (StampAddressPage *self)
{
  g_return_val_if_fail (STAMP_IS_ADDRESS_PAGE (self), NULL);

  return self->address;
}

/**
 * stamp_address_page_dup_display_name:
 * @self: an address page
 *
 * Returns: (transfer full) (nullable): the name, without surrounding
 *   spaces, or %NULL when none was given
 */
char *
stamp_address_page_dup_display_name (StampAddressPage *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (STAMP_IS_ADDRESS_PAGE (self), NULL);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->display_name_row))));

  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

/**
 * stamp_address_page_get_candidates:
 * @self: an address page
 *
 * Returns: (transfer none): the #StampCandidate list of the last discovery
 */
GListModel *
stamp_address_page_get_candidates (StampAddressPage *self)
{
  g_return_val_if_fail (STAMP_IS_ADDRESS_PAGE (self), NULL);

  return G_LIST_MODEL (self->candidates);
}

gboolean
stamp_address_page_get_complete (StampAddressPage *self)
{
  g_return_val_if_fail (STAMP_IS_ADDRESS_PAGE (self), FALSE);

  return self->complete;
}

gboolean
stamp_address_page_get_busy (StampAddressPage *self)
{
  g_return_val_if_fail (STAMP_IS_ADDRESS_PAGE (self), FALSE);

  return self->busy;
}

/**
 * stamp_address_page_cancel:
 * @self: an address page
 *
 * Stops a discovery that is waiting or running.
 */
void
stamp_address_page_cancel (StampAddressPage *self)
{
  g_return_if_fail (STAMP_IS_ADDRESS_PAGE (self));

  stop_discovery (self);
}
