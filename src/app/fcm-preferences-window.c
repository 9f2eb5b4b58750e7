/* fcm-preferences-window.c: the preferences window
 *
 * Every control is bound to a key of the application schema.
 *
 * Text rows (hub URL, topic, GetTopic user, subscriber name) are written on
 * "apply" (the apply button or Enter), not on every key press: each of these
 * keys changes the subscription, and writing them per keystroke would make
 * the application resubscribe to every half-typed URL. Settings → row goes
 * through g_settings_bind (G_SETTINGS_BIND_GET), so outside changes still
 * show. An invalid hub URL or lease is never written, and never rewritten:
 * the text stays as typed and the reason shows in words under the row. The
 * lease takes digits only and says so when something else is typed.
 * Switches, the combo row and the event checks write at once, since each
 * change is a single step.
 *
 * The token is not a setting: it lives in the Secret Service (fcm-secret.c),
 * keyed by the applied hub URL, and is stored on apply or when the row
 * loses the focus with unsaved changes (fcm-preferences-window-token.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmPreferencesWindow"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-a11y.h"
#include "fcm-preferences-background.h"
#include "fcm-preferences-recordings.h"
#include "fcm-preferences-window-private.h"
#include "fcm-secret.h"

/* The IHE IRA events, in the order of the rows; see the schema's default. */
static const char * const ira_events[] = {
  "diagnosticreport-open",
  "diagnosticreport-close",
  "diagnosticreport-update",
  "diagnosticreport-select",
  "syncerror",
};

/* Index in the combo row ↔ value of the "ack-policy" choice key. */
static const char * const ack_policies[] = { "200", "202", "409", "500" };

G_DEFINE_FINAL_TYPE (FcmPreferencesWindow, fcm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * fcm_preferences_window_new:
 * @parent: (nullable): the window to be modal to
 * @settings: the application settings to show and change
 *
 * Returns: (transfer none): a new preferences window, owned by GTK's
 *   toplevel list; present it
 */
GtkWidget *
fcm_preferences_window_new (GtkWindow *parent,
                            GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FCM_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

/* Hub URL ------------------------------------------------------------------ */

/* Empty (the built-in hub), or http/https/ws/wss with a host. */
static gboolean
hub_url_is_valid (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text[0] == '\0')
    return TRUE;

  /* GUri takes "https://hub example.org/" as is; a URL has no spaces. */
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
          g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss")) &&
         host != NULL && host[0] != '\0';
}

static char *
row_text_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update_hub_url_error (FcmPreferencesWindow *self)
{
  g_autofree char *text = row_text_stripped (self->hub_url_row);

  /* said in words under the field, not by colour alone */
  fcm_a11y_set_error (GTK_WIDGET (self->hub_url_row), self->hub_url_error,
                      hub_url_is_valid (text) ? NULL
                      : _("Not a hub URL: use http, https, ws or wss with a host name, for example "
                          "https://hub.example.org/fhircast. Empty means the built-in hub."));
}

static void
on_hub_url_row_changed_cb (FcmPreferencesWindow *self)
{
  update_hub_url_error (self);
}

static void
on_text_row_apply_cb (AdwEntryRow          *row,
                      FcmPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "fcm-settings-key");
  g_autofree char *text = row_text_stripped (row);

  g_assert (key != NULL);

  if (row == self->hub_url_row)
    {
      update_hub_url_error (self);
      if (!hub_url_is_valid (text))
        {
          gtk_widget_error_bell (GTK_WIDGET (row));
          return;
        }
    }

  g_settings_set_string (self->settings, key, text);
}

static void
bind_text_row (FcmPreferencesWindow *self,
               AdwEntryRow          *row,
               const char           *key)
{
  g_object_set_data (G_OBJECT (row), "fcm-settings-key", (gpointer) key);
  g_settings_bind (self->settings, key, row, "text",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);
  /* Enter with the apply button shown emits "apply"; without it (nothing
   * typed since the last apply), "entry-activated". Both write. */
  g_signal_connect_object (row, "apply", G_CALLBACK (on_text_row_apply_cb), self, 0);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_text_row_apply_cb), self, 0);
}

/* Events --------------------------------------------------------------------- */

static GtkCheckButton *
event_check (FcmPreferencesWindow *self,
             guint                 i)
{
  GtkCheckButton *checks[] = {
    self->open_event_check,
    self->close_event_check,
    self->update_event_check,
    self->select_event_check,
    self->syncerror_event_check,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (checks) == G_N_ELEMENTS (ira_events));
  g_assert (i < G_N_ELEMENTS (checks));

  return checks[i];
}

static void
update_event_checks (FcmPreferencesWindow *self)
{
  g_auto(GStrv) events = g_settings_get_strv (self->settings, "events");
  guint n_events = g_strv_length (events);

  self->updating_events = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (ira_events); i++)
    {
      GtkCheckButton *check = event_check (self, i);
      gboolean active = g_strv_contains ((const char * const *) events, ira_events[i]);

      gtk_check_button_set_active (check, active);
      /* The last subscribed event cannot be turned off. */
      gtk_widget_set_sensitive (GTK_WIDGET (check), !(active && n_events == 1));
    }
  self->updating_events = FALSE;
}

static void
on_event_check_toggled_cb (GtkCheckButton       *check,
                           FcmPreferencesWindow *self)
{
  g_auto(GStrv) old_events = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) events = NULL;

  if (self->updating_events)
    return;

  old_events = g_settings_get_strv (self->settings, "events");
  builder = g_strv_builder_new ();

  /* IRA events in row order, then any others from the setting, kept. */
  for (guint i = 0; i < G_N_ELEMENTS (ira_events); i++)
    if (gtk_check_button_get_active (event_check (self, i)))
      g_strv_builder_add (builder, ira_events[i]);
  for (guint i = 0; old_events[i] != NULL; i++)
    if (!g_strv_contains (ira_events, old_events[i]))
      g_strv_builder_add (builder, old_events[i]);

  events = g_strv_builder_end (builder);

  /* A subscription needs at least one event: IRA requires hub.events and a
   * hub answers 400 to an empty list (C-15). */
  if (events[0] == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (check));
      update_event_checks (self);
      return;
    }

  g_settings_set_strv (self->settings, "events", (const char * const *) events);
}

/* Lease ------------------------------------------------------------------ */

static char *
format_duration (int seconds)
{
  if (seconds % 3600 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", seconds / 3600),
                            seconds / 3600);
  if (seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", seconds / 60),
                            seconds / 60);

  /* Translators: a duration, like "2 min 5 s" */
  return g_strdup_printf (_("%d min %d s"), seconds / 60, seconds % 60);
}

#define LEASE_MIN 60
#define LEASE_MAX 86400

static void
update_lease_hint (FcmPreferencesWindow *self)
{
  int seconds = g_settings_get_int (self->settings, "lease-seconds");
  g_autofree char *duration = format_duration (seconds);
  g_autofree char *hint = NULL;

  /* Translators: %s is a duration, like "1 hour" or "2 min 5 s" */
  hint = g_strdup_printf (_("Now %s. A subscription lasts this long and is renewed before it runs out."),
                          duration);
  gtk_label_set_text (self->lease_hint, hint);
}

/* Why the lease text is not a lease, or NULL; @out_seconds gets the value */
static const char *
lease_problem (const char *text,
               int        *out_seconds)
{
  guint64 value = 0;

  if (text[0] == '\0')
    return _("Type a number of seconds, from 60 to 86400 (one day).");
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL))
    return _("Only digits: the lease is a whole number of seconds, from 60 to 86400.");
  if (value < LEASE_MIN)
    return _("Too short: at least 60 seconds.");
  if (value > LEASE_MAX)
    return _("Too long: at most 86400 seconds (one day).");
  *out_seconds = (int) value;
  return NULL;
}

static void
on_lease_changed_cb (FcmPreferencesWindow *self)
{
  g_autofree char *text = row_text_stripped (self->lease_row);
  int seconds;

  fcm_a11y_set_error (GTK_WIDGET (self->lease_row), self->lease_error, lease_problem (text, &seconds));
}

/* Enter or the apply button: a valid lease is written; anything else stays
 * as typed, with the reason under it. */
static void
on_lease_apply_cb (FcmPreferencesWindow *self)
{
  g_autofree char *text = row_text_stripped (self->lease_row);
  const char *why;
  int seconds = 0;

  why = lease_problem (text, &seconds);
  fcm_a11y_set_error (GTK_WIDGET (self->lease_row), self->lease_error, why);
  if (why != NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->lease_row));
      return;
    }
  g_settings_set_int (self->settings, "lease-seconds", seconds);
}

/* Numbers only: a letter is refused as it is typed (or pasted), and the
 * field says why instead of swallowing it silently. */
static void
on_lease_insert_text_cb (GtkEditable          *text,
                         const char           *new_text,
                         int                   length,
                         int                  *position,
                         FcmPreferencesWindow *self)
{
  gsize len = length < 0 ? strlen (new_text) : (gsize) length;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (new_text[i]))
      {
        g_signal_stop_emission_by_name (text, "insert-text");
        fcm_a11y_set_error (GTK_WIDGET (self->lease_row), self->lease_error,
                            _("Only digits: the lease is a whole number of seconds, from 60 to 86400."));
        gtk_widget_error_bell (GTK_WIDGET (self->lease_row));
        return;
      }
}

static void
on_lease_setting_changed_cb (FcmPreferencesWindow *self)
{
  g_autofree char *text = g_strdup_printf ("%d", g_settings_get_int (self->settings, "lease-seconds"));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->lease_row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->lease_row), text);
  update_lease_hint (self);
}

/* Ack policy ---------------------------------------------------------------- */

static gboolean
ack_policy_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  const char *policy = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ack_policies); i++)
    if (g_str_equal (policy, ack_policies[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
ack_policy_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (ack_policies))
    return NULL;

  return g_variant_new_string (ack_policies[i]);
}

/* GObject -------------------------------------------------------------------- */

static void
fcm_preferences_window_constructed (GObject *object)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (fcm_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  bind_text_row (self, self->hub_url_row, "hub-url");
  bind_text_row (self, self->topic_row, "topic");
  bind_text_row (self, self->gettopic_user_row, "gettopic-user");
  bind_text_row (self, self->subscriber_name_row, "subscriber-name");
  g_signal_connect_object (self->hub_url_row, "changed",
                           G_CALLBACK (on_hub_url_row_changed_cb), self,
                           G_CONNECT_SWAPPED);

  on_lease_setting_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::lease-seconds",
                           G_CALLBACK (on_lease_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lease_row, "changed",
                           G_CALLBACK (on_lease_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lease_row, "apply",
                           G_CALLBACK (on_lease_apply_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lease_row, "entry-activated",
                           G_CALLBACK (on_lease_apply_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->lease_row)), "insert-text",
                           G_CALLBACK (on_lease_insert_text_cb), self, 0);
  g_settings_bind (self->settings, "auto-connect",
                   self->auto_connect_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* fcm-preferences-background.c: the built-in hub's port and topic;
   * running in the background and starting at login */
  adw_preferences_page_add (self->connection_page,
                            ADW_PREFERENCES_GROUP (fcm_preferences_builtin_hub_group_new (self->settings)));
  adw_preferences_page_add (self->session_page,
                            ADW_PREFERENCES_GROUP (fcm_preferences_background_group_new (self->settings)));
  /* fcm-preferences-recordings.c: Record Sessions (issue 16.5) */
  adw_preferences_page_add (self->session_page,
                            ADW_PREFERENCES_GROUP (fcm_preferences_recordings_group_new (self->settings)));
  g_settings_bind_with_mapping (self->settings, "ack-policy",
                                self->ack_policy_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                ack_policy_get_mapping, ack_policy_set_mapping,
                                NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ira_events); i++)
    g_signal_connect_object (event_check (self, i), "toggled",
                             G_CALLBACK (on_event_check_toggled_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::events",
                           G_CALLBACK (update_event_checks), self,
                           G_CONNECT_SWAPPED);
  update_event_checks (self);

  /* fcm-preferences-window-token.c: the token row, kept in the keyring */
  _fcm_preferences_window_setup_token (self);
}

static gboolean
fcm_preferences_window_close_request (GtkWindow *window)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (window);

  /* Typed a token and closed the window: keep it. The store finishes on
   * its own; the window no longer cares about the result. */
  if (self->token_dirty)
    {
      fcm_secret_store_token_async (self->token_hub_url,
                                    gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                                    NULL, NULL, NULL);
      self->token_dirty = FALSE;
    }

  return GTK_WINDOW_CLASS (fcm_preferences_window_parent_class)->close_request (window);
}

static void
fcm_preferences_window_dispose (GObject *object)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fcm_preferences_window_parent_class)->dispose (object);
}

static void
fcm_preferences_window_finalize (GObject *object)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (object);

  g_free (self->token_hub_url);

  G_OBJECT_CLASS (fcm_preferences_window_parent_class)->finalize (object);
}

static void
fcm_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FcmPreferencesWindow *self = FCM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_preferences_window_class_init (FcmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fcm_preferences_window_constructed;
  object_class->dispose = fcm_preferences_window_dispose;
  object_class->finalize = fcm_preferences_window_finalize;
  object_class->get_property = fcm_preferences_window_get_property;
  object_class->set_property = fcm_preferences_window_set_property;

  window_class->close_request = fcm_preferences_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, connection_page);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, session_page);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, hub_url_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, topic_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, gettopic_user_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, subscriber_name_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, token_status_label);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, open_event_check);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, close_event_check);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, update_event_check);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, select_event_check);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, syncerror_event_check);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, lease_row);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, lease_hint);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, lease_error);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, hub_url_error);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, auto_connect_switch);
  gtk_widget_class_bind_template_child (widget_class, FcmPreferencesWindow, ack_policy_row);

  /* Not used here, but reachable with gtk_widget_get_template_child(). */
  gtk_widget_class_bind_template_child_full (widget_class, "open_event_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "close_event_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "update_event_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "select_event_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "syncerror_event_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "auto_connect_row", FALSE, 0);
}

static void
fcm_preferences_window_init (FcmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* the text fields carry their row's name; some of libadwaita's parts
   * are made when the window is shown */
  fcm_a11y_fix_names (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (fcm_a11y_fix_names), NULL);
}
