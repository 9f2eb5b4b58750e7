/* fcm-probe-window.c: "Test a Hub…" and "Test an App…"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The conformance probes of src/probe in a window (docs/probe.md):
 *  - Test a Hub runs FcmHubProbe against a connection's hub, with the
 *    connection's URL and token (from the keyring, never shown); by default
 *    every scenario on a fresh topic, or on the session topic if chosen;
 *  - Test an App runs FcmSubscriberProbe: its own small hub on a loopback
 *    port whose URL and topic the app under test is pointed at; the window
 *    says which scenario waits and for what the app should do.
 * Both fill in the scenarios as they finish, show the selected one's checks
 * and evidence, count the verdicts, stop and run again, and export the
 * NDJSON and JUnit reports.
 *
 * This file is the window's shell: construction, the run and its status.
 *   fcm-probe-window-list.c    the scenario list, the evidence pane, the choice
 *   fcm-probe-window-export.c  the reports, toasts
 */

#define G_LOG_DOMAIN "FcmProbeWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-a11y.h"
#include "fcm-probe-window-private.h"
#include "fcm-secret.h"

/* How long each scenario of Test an App waits for the app to subscribe (or
 * to publish, or to leave) when asked: people configure the app by hand. */
#define APP_CONNECT_TIMEOUT 300.0

G_DEFINE_FINAL_TYPE (FcmProbeWindow, fcm_probe_window, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------ status */

/* "17 passed, 2 failed, 1 warning" (and ", 1 skipped") */
static char *
summary_text (GListModel *results)
{
  guint pass, warning, fail, skipped;
  g_autoptr(GString) text = g_string_new (NULL);

  fcm_probe_report_count (results, &pass, &warning, &fail, &skipped);
  /* Translators: the first part of "17 passed, 2 failed, 1 warning" */
  g_string_append_printf (text, ngettext ("%u passed", "%u passed", pass), pass);
  g_string_append (text, _(", "));
  g_string_append_printf (text, ngettext ("%u failed", "%u failed", fail), fail);
  g_string_append (text, _(", "));
  g_string_append_printf (text, ngettext ("%u warning", "%u warnings", warning), warning);
  if (skipped > 0)
    {
      g_string_append (text, _(", "));
      g_string_append_printf (text, ngettext ("%u skipped", "%u skipped", skipped), skipped);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
running_text (FcmProbeWindow *self)
{
  guint position = 0;

  if (self->running == NULL)
    return g_strdup (_("Starting…"));
  _fcm_probe_window_find_item (self, fcm_probe_item_get_id (self->running), &position);
  if (self->for_app && self->asked != NULL)
    {
      gint64 waited = (g_get_monotonic_time () - self->asked_at) / G_USEC_PER_SEC;
      gint64 left = MAX (0, (gint64) self->connect_timeout - waited);

      /* Translators: 1: scenario number, 2: how many, 3: its title, 4: minutes,
       * 5: seconds left before the scenario is skipped, 6: what the app should do */
      return g_strdup_printf (_("Scenario %u of %u, “%s”, is waiting for the app (%d:%02d left): %s"),
                              position + 1, self->n_run, fcm_probe_item_get_title (self->running),
                              (int) (left / 60), (int) (left % 60), self->asked);
    }
  if (self->for_app)
    /* Translators: 1: scenario number, 2: how many, 3: its title, 4: what it does */
    return g_strdup_printf (_("Scenario %u of %u, “%s”: %s"), position + 1, self->n_run,
                            fcm_probe_item_get_title (self->running),
                            fcm_probe_item_get_summary (self->running));
  /* Translators: 1: scenario number, 2: how many, 3: its title */
  return g_strdup_printf (_("Scenario %u of %u: %s"), position + 1, self->n_run,
                          fcm_probe_item_get_title (self->running));
}

static void
update_status (FcmProbeWindow *self)
{
  GListModel *results = fcm_probe_get_results (self->probe);
  gboolean running = fcm_probe_get_running (self->probe);
  g_autofree char *summary = summary_text (results);
  g_autofree char *status = NULL;
  const char *icon = NULL;
  guint pass, warning, fail, skipped;

  fcm_probe_report_count (results, &pass, &warning, &fail, &skipped);
  if (running)
    status = running_text (self);
  else if (self->run_pending)
    status = g_strdup (_("Looking up the hub’s token in the keyring…"));
  else if (self->run_error != NULL)
    {
      /* Translators: %s says why, e.g. that the hub could not be reached */
      status = g_strdup_printf (_("The probe could not run: %s"), self->run_error);
      icon = "dialog-error-symbolic";
    }
  else if (self->stopped)
    {
      /* Translators: 1: scenarios that finished, 2: how many were chosen */
      status = g_strdup_printf (_("Stopped after %u of %u scenarios"), self->n_done, self->n_run);
      icon = "media-playback-stop-symbolic";
    }
  else if (self->ended > 0)
    {
      double secs = (self->ended - self->started) / (double) G_USEC_PER_SEC;

      /* Translators: 1: how many scenarios, 2: seconds */
      status = g_strdup_printf (ngettext ("Finished: %u scenario in %.0f s", "Finished: %u scenarios in %.0f s",
                                          self->n_done),
                                self->n_done, secs);
      icon = fail > 0 ? "dialog-error-symbolic" : warning > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
    }
  else
    status = g_strdup ("");

  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const classes[] = { "error", "warning", "success" };

      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
    }
  if (icon != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon),
                              (self->run_error != NULL || fail > 0) ? "error"
                              : (warning > 0 || self->stopped) ? "warning" : "success");

  /* the app under test is asked for something: say so where it shows */
  if (self->for_app && running && self->asked != NULL)
    gtk_widget_add_css_class (self->status_box, "probe-waiting");
  else
    gtk_widget_remove_css_class (self->status_box, "probe-waiting");
}

/* the buttons, actions and status follow the run */
void
_fcm_probe_window_update_state (FcmProbeWindow *self)
{
  gboolean running = fcm_probe_get_running (self->probe);
  gboolean busy = running || self->run_pending;
  guint n_results = g_list_model_get_n_items (fcm_probe_get_results (self->probe));
  g_auto(GStrv) chosen = _fcm_probe_window_dup_chosen (self);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean on_button = focus != NULL && (focus == self->stop_button || focus == self->run_button ||
                                         gtk_widget_is_ancestor (focus, self->stop_button) ||
                                         gtk_widget_is_ancestor (focus, self->run_button));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.run", !busy && chosen[0] != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.export-ndjson", n_results > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.export-junit", n_results > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.select-all", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.select-none", !busy);
  /* Stop and Run Again take turns in one place; the keyboard focus follows
   * (the button to show is sensitive by now: its action is on) */
  gtk_widget_set_visible (busy ? self->stop_button : self->run_button, TRUE);
  if (on_button)
    gtk_widget_grab_focus (busy ? self->stop_button : self->run_button);
  gtk_widget_set_visible (busy ? self->run_button : self->stop_button, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_topic_check), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_status (self);
}

static void
update_topic_label (FcmProbeWindow *self)
{
  if (self->for_app)
    return;
  if (gtk_check_button_get_active (self->use_topic_check) && self->session_topic != NULL &&
      self->session_topic[0] != '\0')
    {
      gtk_label_set_text (self->target_topic_label, self->session_topic);
      gtk_widget_add_css_class (GTK_WIDGET (self->target_topic_label), "monospace");
    }
  else
    {
      gtk_label_set_text (self->target_topic_label, _("A new topic for each scenario"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->target_topic_label), "monospace");
    }
}

/* Test an App: the countdown of what the app was asked to do */
static gboolean
tick_cb (gpointer user_data)
{
  FcmProbeWindow *self = user_data;

  update_status (self);
  return G_SOURCE_CONTINUE;
}

static void
clear_asked (FcmProbeWindow *self)
{
  g_clear_pointer (&self->asked, g_free);
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* ------------------------------------------------------------ probe signals */

static void
scenario_started_cb (FcmProbe       *probe,
                     const char     *id,
                     const char     *title,
                     FcmProbeWindow *self)
{
  guint position;
  FcmProbeItem *item = _fcm_probe_window_find_item (self, id, &position);

  clear_asked (self);
  if (item == NULL)
    return;
  self->running = item;
  fcm_probe_item_set_running (item);
  if (self->follow)
    _fcm_probe_window_select (self, position);
  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer) item)
    _fcm_probe_window_show_selected (self);
  _fcm_probe_window_update_state (self);
}

static void
scenario_finished_cb (FcmProbe       *probe,
                      FcmProbeResult *result,
                      FcmProbeWindow *self)
{
  FcmProbeItem *item = _fcm_probe_window_find_item (self, fcm_probe_result_get_id (result), NULL);

  clear_asked (self);
  self->running = NULL;
  self->n_done++;
  if (item == NULL)
    return;
  fcm_probe_item_set_result (item, result);
  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer) item)
    _fcm_probe_window_show_selected (self);
  _fcm_probe_window_update_state (self);
}

static void
evidence_added_cb (FcmProbe       *probe,
                   const char     *id,
                   const char     *line,
                   FcmProbeWindow *self)
{
  FcmProbeItem *item = _fcm_probe_window_find_item (self, id, NULL);

  if (item == NULL)
    return;
  fcm_probe_item_add_live (item, line);
  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer) item)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->evidence_view);
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, line, -1);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.copy-evidence", TRUE);
    }
  /* "←": the app under test did something, so it is no longer waited for */
  if (self->asked != NULL && g_str_has_prefix (line, "←"))
    {
      clear_asked (self);
      update_status (self);
    }
}

static void
action_requested_cb (FcmSubscriberProbe       *probe,
                     FcmSubscriberProbeAction  action,
                     const char               *instructions,
                     FcmProbeWindow           *self)
{
  clear_asked (self);
  /* the probe's own words repeat the URL and topic shown above */
  switch (action)
    {
    case FCM_SUBSCRIBER_PROBE_ACTION_CONNECT:
      self->asked = g_strdup (_("subscribe the app to the hub.url and hub.topic above"));
      break;
    case FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT:
      self->asked = g_strdup (_("stop the app normally: it should unsubscribe and close with 1000"));
      break;
    case FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH:
      self->asked = g_strdup (_("make the app request a context change, for example open a report"));
      break;
    default:
      self->asked = g_strdup (instructions);
      break;
    }
  self->asked_at = g_get_monotonic_time ();
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  update_status (self);
}

/* ---------------------------------------------------------------- the run */

/* What an asynchronous call comes back to: the window, unless it is gone
 * by then (it must not outlive its transient parent for a callback). */
static GWeakRef *
weak_self (FcmProbeWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static FcmProbeWindow *
weak_self_take (GWeakRef *ref)
{
  FcmProbeWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FcmProbeWindow) self = weak_self_take (user_data);
  g_autoptr(GError) error = NULL;
  guint n;

  fcm_probe_run_finish (FCM_PROBE (source), result, &error);
  if (self == NULL || self->items == NULL)      /* the window is gone */
    return;

  self->ended = g_get_monotonic_time ();
  self->running = NULL;
  clear_asked (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->stopped = TRUE;
  else if (error != NULL)
    self->run_error = g_strdup (error->message);

  /* what did not run, and where to look first */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (fcm_probe_item_get_state (item) != FCM_PROBE_ITEM_DONE)
        fcm_probe_item_set_not_run (item);
    }
  if (self->follow)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(FcmProbeItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

        if (fcm_probe_item_get_result (item) != NULL &&
            fcm_probe_result_get_verdict (fcm_probe_item_get_result (item)) == FCM_PROBE_VERDICT_FAIL)
          {
            _fcm_probe_window_select (self, i);
            break;
          }
      }
  _fcm_probe_window_show_selected (self);
  _fcm_probe_window_update_state (self);
}

/**
 * fcm_probe_window_run:
 *
 * Runs the chosen scenarios (again); for a hub whose token is still being
 * looked up, as soon as it is known.
 */
void
fcm_probe_window_run (FcmProbeWindow *self)
{
  g_auto(GStrv) chosen = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FCM_IS_PROBE_WINDOW (self));

  if (fcm_probe_get_running (self->probe))
    return;
  if (!self->token_known)
    {
      self->run_pending = TRUE;
      _fcm_probe_window_update_state (self);
      return;
    }
  self->run_pending = FALSE;
  chosen = _fcm_probe_window_dup_chosen (self);
  if (chosen[0] == NULL)
    {
      _fcm_probe_window_toast (self, _("Choose at least one scenario to run"));
      _fcm_probe_window_update_state (self);
      return;
    }
  if (!fcm_probe_set_only (self->probe, (const char * const *) chosen, &error))
    {
      _fcm_probe_window_toast (self, error->message);
      return;
    }
  if (!self->for_app)
    fcm_hub_probe_set_topic (FCM_HUB_PROBE (self->probe),
                             gtk_check_button_get_active (self->use_topic_check) ? self->session_topic : NULL);

  _fcm_probe_window_fill_items (self);
  self->running = NULL;
  self->n_done = 0;
  self->stopped = FALSE;
  self->ended = 0;
  g_clear_pointer (&self->run_error, g_free);
  clear_asked (self);
  self->started = g_get_monotonic_time ();
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fcm_probe_run_async (self->probe, self->cancellable, run_done_cb, weak_self (self));
  _fcm_probe_window_update_state (self);
}

/**
 * fcm_probe_window_stop:
 *
 * Cancels the run: it ends after the current step, the results so far stay.
 */
void
fcm_probe_window_stop (FcmProbeWindow *self)
{
  g_return_if_fail (FCM_IS_PROBE_WINDOW (self));

  if (self->run_pending)
    {
      self->run_pending = FALSE;
      self->stopped = TRUE;
      _fcm_probe_window_update_state (self);
    }
  g_cancellable_cancel (self->cancellable);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (widget);

  gtk_popover_popdown (GTK_POPOVER (self->scenarios_popover));
  fcm_probe_window_run (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fcm_probe_window_stop (FCM_PROBE_WINDOW (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (widget);
  FcmSubscriberProbe *probe = FCM_SUBSCRIBER_PROBE (self->probe);
  gboolean url = g_str_equal (action_name, "probe.copy-hub-url");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          url ? fcm_subscriber_probe_get_hub_url (probe) : fcm_subscriber_probe_get_topic (probe));
  _fcm_probe_window_toast (self, url ? _("Copied the hub URL") : _("Copied the topic"));
}

/* --------------------------------------------------------------- the token */

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FcmProbeWindow) self = weak_self_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = fcm_secret_lookup_token_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL || self->items == NULL)
    return;
  /* no Secret Service is not fatal: the hub may not need a token */
  if (error != NULL)
    g_debug ("no token from the keyring: %s", error->message);
  if (token != NULL)
    fcm_hub_probe_set_token (FCM_HUB_PROBE (self->probe), token);
  gtk_label_set_text (self->target_token_label,
                      token != NULL ? _("From the keyring (not shown)") : _("None"));
  self->token_known = TRUE;
  if (self->run_pending)
    fcm_probe_window_run (self);
  else
    _fcm_probe_window_update_state (self);
}

/* ------------------------------------------------------------ construction */

static void
setup (FcmProbeWindow *self,
       GtkWindow      *parent)
{
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  if (parent != NULL && gtk_window_get_application (parent) != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));

  g_signal_connect_object (self->probe, "scenario-started", G_CALLBACK (scenario_started_cb), self, 0);
  g_signal_connect_object (self->probe, "scenario-finished", G_CALLBACK (scenario_finished_cb), self, 0);
  g_signal_connect_object (self->probe, "evidence-added", G_CALLBACK (evidence_added_cb), self, 0);
  _fcm_probe_window_setup_list (self);
  _fcm_probe_window_fill_items (self);
  fcm_a11y_fix_names (GTK_WIDGET (self));
  _fcm_probe_window_update_state (self);
}

/**
 * fcm_probe_window_new_for_hub:
 * @parent: (nullable): the main window
 * @connection: the hub to test: its URL, topic and token
 *
 * Returns: (transfer none): a new window, owned by GTK's toplevel list;
 *   fcm_probe_window_run() starts the probe
 */
FcmProbeWindow *
fcm_probe_window_new_for_hub (GtkWindow     *parent,
                              FcmConnection *connection)
{
  FcmProbeWindow *self;
  FcmHubClient *client;
  const char *token;

  g_return_val_if_fail (FCM_IS_CONNECTION (connection), NULL);

  self = g_object_new (FCM_TYPE_PROBE_WINDOW, NULL);
  client = fcm_connection_get_client (connection);
  self->connection = g_object_ref (connection);
  self->probe = FCM_PROBE (fcm_hub_probe_new (fcm_hub_client_get_hub_url (client)));
  self->session_topic = g_strdup (fcm_hub_client_get_topic (client));

  gtk_window_set_title (GTK_WINDOW (self), _("Test a Hub"));
  adw_window_title_set_title (self->window_title, _("Test a Hub"));
  adw_window_title_set_subtitle (self->window_title, fcm_connection_get_title (connection));
  gtk_widget_set_visible (self->target_box, TRUE);
  gtk_widget_set_visible (self->use_topic_box, self->session_topic != NULL && self->session_topic[0] != '\0');
  gtk_label_set_text (self->target_url_label, fcm_hub_client_get_hub_url (client));
  update_topic_label (self);
  g_signal_connect_object (self->use_topic_check, "toggled", G_CALLBACK (update_topic_label), self,
                           G_CONNECT_SWAPPED);

  /* the token the connection uses; else the keyring's for this hub */
  token = fcm_hub_client_get_token (client);
  if (token != NULL)
    {
      fcm_hub_probe_set_token (FCM_HUB_PROBE (self->probe), token);
      gtk_label_set_text (self->target_token_label, _("From the keyring (not shown)"));
      self->token_known = TRUE;
    }
  else if (fcm_connection_get_embedded (connection))
    {
      gtk_label_set_text (self->target_token_label, _("None"));
      self->token_known = TRUE;
    }
  else
    {
      gtk_label_set_text (self->target_token_label, _("Looking it up in the keyring…"));
      self->lookup = g_cancellable_new ();
      fcm_secret_lookup_token_async (fcm_hub_client_get_hub_url (client), self->lookup, token_cb,
                                     weak_self (self));
    }

  setup (self, parent);
  return self;
}

/**
 * fcm_probe_window_new_for_app:
 * @parent: (nullable): the main window
 *
 * Starts the subscriber probe's hub on a free loopback port.
 *
 * Returns: (transfer none) (nullable): a new window (fcm_probe_window_run()
 *   starts the probe), or %NULL if the probe's hub could not listen
 */
FcmProbeWindow *
fcm_probe_window_new_for_app (GtkWindow  *parent,
                              GError    **error)
{
  g_autoptr(FcmSubscriberProbe) probe = fcm_subscriber_probe_new ();
  g_autofree char *subtitle = NULL;
  g_autoptr(GUri) uri = NULL;
  FcmProbeWindow *self;

  fcm_subscriber_probe_set_connect_timeout (probe, APP_CONNECT_TIMEOUT);
  if (!fcm_subscriber_probe_listen (probe, error))
    return NULL;

  self = g_object_new (FCM_TYPE_PROBE_WINDOW, NULL);
  self->for_app = TRUE;
  self->token_known = TRUE;
  self->connect_timeout = APP_CONNECT_TIMEOUT;
  self->probe = FCM_PROBE (g_steal_pointer (&probe));
  g_signal_connect_object (self->probe, "action-requested", G_CALLBACK (action_requested_cb), self, 0);

  uri = g_uri_parse (fcm_subscriber_probe_get_hub_url (FCM_SUBSCRIBER_PROBE (self->probe)), G_URI_FLAGS_NONE, NULL);
  /* Translators: %s is host:port of the probe's own hub */
  subtitle = g_strdup_printf (_("Probe hub on %s:%d"), uri != NULL ? g_uri_get_host (uri) : "127.0.0.1",
                              uri != NULL ? g_uri_get_port (uri) : 0);
  gtk_window_set_title (GTK_WINDOW (self), _("Test an App"));
  adw_window_title_set_title (self->window_title, _("Test an App"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_visible (self->app_box, TRUE);
  gtk_label_set_text (self->app_url_label, fcm_subscriber_probe_get_hub_url (FCM_SUBSCRIBER_PROBE (self->probe)));
  gtk_label_set_text (self->app_topic_label, fcm_subscriber_probe_get_topic (FCM_SUBSCRIBER_PROBE (self->probe)));

  setup (self, parent);
  return self;
}

FcmConnection *
fcm_probe_window_get_connection (FcmProbeWindow *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_WINDOW (self), NULL);
  return self->connection;
}

gboolean
fcm_probe_window_get_for_app (FcmProbeWindow *self)
{
  g_return_val_if_fail (FCM_IS_PROBE_WINDOW (self), FALSE);
  return self->for_app;
}

static void
fcm_probe_window_dispose (GObject *object)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (object);

  /* a run in progress ends after its current step; its callback finds
   * the window gone and leaves it alone */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lookup);
  clear_asked (self);
  if (self->probe != NULL)
    g_signal_handlers_disconnect_by_data (self->probe, self);

  /* GtkWindow keeps a destroyed parent with destroy-with-parent: forget it
   * now, while it is alive, in case something (an export being written)
   * keeps this window a little longer */
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_PROBE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->probe);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (fcm_probe_window_parent_class)->dispose (object);
}

static void
fcm_probe_window_finalize (GObject *object)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->lookup);
  g_free (self->session_topic);
  g_free (self->run_error);
  g_free (self->last_toast);

  G_OBJECT_CLASS (fcm_probe_window_parent_class)->finalize (object);
}

static void
fcm_probe_window_class_init (FcmProbeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_probe_window_dispose;
  object_class->finalize = fcm_probe_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-probe-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, scenarios_button);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, target_box);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, target_url_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, target_topic_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, target_token_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, app_box);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, app_url_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, app_topic_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, scenario_list);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, evidence_title);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, evidence_message);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, evidence_view);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, scenarios_popover);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, use_topic_box);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, use_topic_check);
  gtk_widget_class_bind_template_child (widget_class, FcmProbeWindow, check_list);

  gtk_widget_class_install_action (widget_class, "probe.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "probe.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "probe.export-ndjson", NULL, _fcm_probe_window_export_action);
  gtk_widget_class_install_action (widget_class, "probe.export-junit", NULL, _fcm_probe_window_export_action);
  gtk_widget_class_install_action (widget_class, "probe.copy-evidence", NULL, _fcm_probe_window_copy_evidence_action);
  gtk_widget_class_install_action (widget_class, "probe.copy-hub-url", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "probe.copy-topic", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "probe.select-all", NULL, _fcm_probe_window_choose_action);
  gtk_widget_class_install_action (widget_class, "probe.select-none", NULL, _fcm_probe_window_choose_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "probe.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "probe.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "probe.export-ndjson", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "probe.export-junit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "probe.copy-evidence", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
fcm_probe_window_init (FcmProbeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->follow = TRUE;
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/* ------------------------------------------------------------ for tests */

FcmProbe *
_fcm_probe_window_get_probe (FcmProbeWindow *self)
{
  return self->probe;
}

GListModel *
_fcm_probe_window_get_items (FcmProbeWindow *self)
{
  return G_LIST_MODEL (self->items);
}

void
_fcm_probe_window_set_connect_timeout (FcmProbeWindow *self,
                                       double          seconds)
{
  g_return_if_fail (self->for_app);

  self->connect_timeout = seconds;
  fcm_subscriber_probe_set_connect_timeout (FCM_SUBSCRIBER_PROBE (self->probe), seconds);
}

const char *
_fcm_probe_window_get_last_toast (FcmProbeWindow *self)
{
  return self->last_toast;
}
