/* fcm-preferences-window-token.c: the preferences' token row, kept in the Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmPreferencesWindow (see fcm-preferences-window-private.h). The
 * token is not a setting: it lives in the Secret Service (fcm-secret.c),
 * keyed by the applied hub URL, is looked up again when that changes, and
 * is stored on apply or when the row loses the focus with unsaved changes.
 * The row says where it stands (stored, removed, saving, an error).
 */

#define G_LOG_DOMAIN "FcmPreferencesWindow"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-preferences-window-private.h"
#include "fcm-secret.h"

/* @mark_row: also give the token row the error style (a failed store: what
 * the user typed is not saved), not only the status text. */
static void
set_token_status_full (FcmPreferencesWindow *self,
                       const char           *text,
                       gboolean              is_error,
                       gboolean              mark_row)
{
  gtk_label_set_text (self->token_status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->token_status_label), text != NULL);

  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->token_status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_status_label), "dim-label");
      if (mark_row)
        gtk_widget_add_css_class (GTK_WIDGET (self->token_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->token_status_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
    }

  /* The status is also the row's accessible description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "",
                                  -1);
}

static void
set_token_status (FcmPreferencesWindow *self,
                  const char           *text,
                  gboolean              is_error)
{
  set_token_status_full (self, text, is_error, FALSE);
}

static void
on_token_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FcmPreferencesWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = fcm_secret_lookup_token_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = FCM_PREFERENCES_WINDOW (user_data);

  if (error != NULL)
    {
      set_token_status (self, error->message, TRUE);
      return;
    }

  /* The user typed while we looked: keep what they typed. */
  if (self->token_dirty)
    return;

  self->loading_token = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "");
  self->loading_token = FALSE;

  set_token_status (self, token != NULL ? _("Stored in the keyring") : NULL, FALSE);

  if (token != NULL)
    explicit_bzero (token, strlen (token));
}

static void
load_token (FcmPreferencesWindow *self)
{
  g_autofree char *hub_url = g_settings_get_string (self->settings, "hub-url");

  /* A new hub: forget the lookup for the old one; stores still finish. */
  self->token_serial++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->token_hub_url);
  self->token_hub_url = g_steal_pointer (&hub_url);
  self->token_dirty = FALSE;

  self->loading_token = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  self->loading_token = FALSE;
  set_token_status (self, NULL, FALSE);

  fcm_secret_lookup_token_async (self->token_hub_url, self->cancellable,
                                 on_token_looked_up, self);
}

typedef struct
{
  FcmPreferencesWindow *self;    /* owned */
  guint                 serial;
  gboolean              removed;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreData, store_data_free)

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StoreData) data = user_data;
  FcmPreferencesWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  fcm_secret_store_token_finish (result, &error);

  /* Closed meanwhile (disposed), or the row shows another hub's token now:
   * the store itself is done, nobody needs its status. */
  if (self->settings == NULL || data->serial != self->token_serial)
    return;

  if (error != NULL)
    {
      /* Still unsaved: a later apply or focus-out tries again. */
      self->token_dirty = TRUE;
      set_token_status_full (self, error->message, TRUE, TRUE);
      return;
    }

  set_token_status (self,
                    data->removed ? _("Removed from the keyring") : _("Stored in the keyring"),
                    FALSE);
}

static void
save_token (FcmPreferencesWindow *self)
{
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  StoreData *data;

  if (!self->token_dirty)
    return;

  self->token_dirty = FALSE;
  set_token_status (self, _("Saving…"), FALSE);

  /* Not cancelled by closing the window: an applied token is kept. */
  data = g_new0 (StoreData, 1);
  data->self = g_object_ref (self);
  data->serial = self->token_serial;
  data->removed = token[0] == '\0';
  fcm_secret_store_token_async (self->token_hub_url, token, NULL, on_token_stored, data);
}

static void
on_token_row_changed_cb (FcmPreferencesWindow *self)
{
  if (!self->loading_token)
    self->token_dirty = TRUE;
}

static void
on_token_row_apply_cb (FcmPreferencesWindow *self)
{
  save_token (self);
}

static void
on_token_focus_leave_cb (GtkEventControllerFocus *controller,
                         FcmPreferencesWindow    *self)
{
  save_token (self);
}

static void
on_hub_url_setting_changed_cb (FcmPreferencesWindow *self)
{
  g_autofree char *hub_url = g_settings_get_string (self->settings, "hub-url");

  if (g_strcmp0 (hub_url, self->token_hub_url) != 0)
    load_token (self);
}

void
_fcm_preferences_window_setup_token (FcmPreferencesWindow *self)
{
  GtkEventController *focus;

  g_signal_connect_object (self->token_row, "changed",
                           G_CALLBACK (on_token_row_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_row, "apply",
                           G_CALLBACK (on_token_row_apply_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_row, "entry-activated",
                           G_CALLBACK (on_token_row_apply_cb), self,
                           G_CONNECT_SWAPPED);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave",
                           G_CALLBACK (on_token_focus_leave_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->token_row), focus);

  g_signal_connect_object (self->settings, "changed::hub-url",
                           G_CALLBACK (on_hub_url_setting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  load_token (self);
}
