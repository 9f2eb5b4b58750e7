/* test-preferences.c: FcmPreferencesWindow against GSettings
 *
 * GSETTINGS_BACKEND=memory (tests/meson.build). Run on its own, the session
 * bus address points nowhere, so the window's keyring lookup fails the way
 * it does on a desktop without a Secret Service, and nothing touches a real
 * keyring. Run through tests/run-with-keyring.sh (FCM_KEYRING_INNER=1, as
 * "test-preferences-keyring"), the token tests use a private gnome-keyring.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <adwaita.h>

#include "fcm-preferences-window.h"
#include "fcm-secret.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"

static gboolean with_keyring;

static const char * const all_keys[] = {
  "hub-url", "topic", "gettopic-user", "subscriber-name", "events",
  "lease-seconds", "auto-connect", "ack-policy",
};

typedef struct
{
  GSettings *settings;
  GtkWidget *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->settings = g_settings_new (BASE_APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (all_keys); i++)
    g_settings_reset (f->settings, all_keys[i]);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    {
      g_object_ref (f->window);
      gtk_window_destroy (GTK_WINDOW (f->window));
      g_assert_finalize_object (f->window);
    }
  g_clear_object (&f->settings);
}

static void
open_window (Fixture *f)
{
  f->window = fcm_preferences_window_new (NULL, f->settings);
  g_assert_true (FCM_IS_PREFERENCES_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (f->window, FCM_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
row_text (Fixture    *f,
          const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (f, name)));
}

/* What the user does: type, then press Enter or the apply button. */
static void
type_and_apply (Fixture    *f,
                const char *name,
                const char *text)
{
  GtkEditable *row = child (f, name);

  gtk_editable_set_text (row, text);
  g_signal_emit_by_name (row, "apply");
}

static const char * const event_checks[] = {
  "open_event_check", "close_event_check", "update_event_check",
  "select_event_check", "syncerror_event_check",
};

static gboolean
check_active (Fixture    *f,
              const char *name)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (child (f, name)));
}

static void
assert_events (Fixture           *f,
               const char * const expected[])
{
  g_auto(GStrv) events = g_settings_get_strv (f->settings, "events");

  g_assert_cmpstrv (events, expected);
}

static void
test_settings_to_widgets (Fixture       *f,
                          gconstpointer  data)
{
  const char * const events[] = { "diagnosticreport-open", "syncerror", NULL };

  g_settings_set_string (f->settings, "hub-url", "https://hub.example.org/fhircast");
  g_settings_set_string (f->settings, "topic", "session-42");
  g_settings_set_string (f->settings, "gettopic-user", "dr.who");
  g_settings_set_string (f->settings, "subscriber-name", "Monitor A");
  g_settings_set_strv (f->settings, "events", events);
  g_settings_set_int (f->settings, "lease-seconds", 120);
  g_settings_set_boolean (f->settings, "auto-connect", FALSE);
  g_settings_set_string (f->settings, "ack-policy", "409");

  open_window (f);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Preferences");
  g_assert_cmpstr (row_text (f, "hub_url_row"), ==, "https://hub.example.org/fhircast");
  g_assert_cmpstr (row_text (f, "topic_row"), ==, "session-42");
  g_assert_cmpstr (row_text (f, "gettopic_user_row"), ==, "dr.who");
  g_assert_cmpstr (row_text (f, "subscriber_name_row"), ==, "Monitor A");
  g_assert_true (check_active (f, "open_event_check"));
  g_assert_false (check_active (f, "close_event_check"));
  g_assert_false (check_active (f, "update_event_check"));
  g_assert_false (check_active (f, "select_event_check"));
  g_assert_true (check_active (f, "syncerror_event_check"));
  g_assert_cmpstr (row_text (f, "lease_row"), ==, "120");
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "lease_hint")), "2 minutes"));
  g_assert_false (gtk_switch_get_active (child (f, "auto_connect_switch")));
  g_assert_cmpuint (adw_combo_row_get_selected (child (f, "ack_policy_row")), ==, 2);

  /* Changes made elsewhere while the window is open show too. */
  g_settings_set_string (f->settings, "topic", "session-43");
  g_settings_set_string (f->settings, "ack-policy", "202");
  g_settings_set_int (f->settings, "lease-seconds", 86400);
  g_settings_reset (f->settings, "events");
  g_assert_cmpstr (row_text (f, "topic_row"), ==, "session-43");
  g_assert_cmpuint (adw_combo_row_get_selected (child (f, "ack_policy_row")), ==, 1);
  g_assert_cmpstr (row_text (f, "lease_row"), ==, "86400");
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "lease_hint")), "24 hours"));
  for (guint i = 0; i < G_N_ELEMENTS (event_checks); i++)
    g_assert_true (check_active (f, event_checks[i]));
}

static void
test_widgets_to_settings (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *hub_url = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *user = NULL;
  g_autofree char *name = NULL;
  g_autofree char *policy = NULL;

  open_window (f);

  /* Text rows are written on "apply", not per key press. */
  gtk_editable_set_text (child (f, "topic_row"), "typing…");
  topic = g_settings_get_string (f->settings, "topic");
  g_assert_cmpstr (topic, ==, "");
  g_clear_pointer (&topic, g_free);

  type_and_apply (f, "hub_url_row", "  wss://hub.example.org:8443/ws  ");
  type_and_apply (f, "topic_row", "session-7");
  type_and_apply (f, "gettopic_user_row", "radiologist");
  type_and_apply (f, "subscriber_name_row", "Reading Room 3");

  hub_url = g_settings_get_string (f->settings, "hub-url");
  topic = g_settings_get_string (f->settings, "topic");
  user = g_settings_get_string (f->settings, "gettopic-user");
  name = g_settings_get_string (f->settings, "subscriber-name");
  g_assert_cmpstr (hub_url, ==, "wss://hub.example.org:8443/ws");
  g_assert_cmpstr (topic, ==, "session-7");
  g_assert_cmpstr (user, ==, "radiologist");
  g_assert_cmpstr (name, ==, "Reading Room 3");

  /* Enter with nothing typed since the last apply writes as well. */
  gtk_editable_set_text (child (f, "topic_row"), "session-8");
  g_signal_emit_by_name (child (f, "topic_row"), "entry-activated");
  g_clear_pointer (&topic, g_free);
  topic = g_settings_get_string (f->settings, "topic");
  g_assert_cmpstr (topic, ==, "session-8");

  type_and_apply (f, "lease_row", "600");
  g_assert_cmpint (g_settings_get_int (f->settings, "lease-seconds"), ==, 600);

  g_assert_true (g_settings_get_boolean (f->settings, "auto-connect"));
  gtk_switch_set_active (child (f, "auto_connect_switch"), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "auto-connect"));

  adw_combo_row_set_selected (child (f, "ack_policy_row"), 3);
  policy = g_settings_get_string (f->settings, "ack-policy");
  g_assert_cmpstr (policy, ==, "500");
  g_clear_pointer (&policy, g_free);
  adw_combo_row_set_selected (child (f, "ack_policy_row"), 0);
  policy = g_settings_get_string (f->settings, "ack-policy");
  g_assert_cmpstr (policy, ==, "200");
}

static void
assert_hub_url_rejected (Fixture    *f,
                         const char *text)
{
  g_autofree char *hub_url = NULL;
  GtkWidget *row = child (f, "hub_url_row");

  type_and_apply (f, "hub_url_row", text);
  hub_url = g_settings_get_string (f->settings, "hub-url");
  g_assert_cmpstr (hub_url, ==, "https://good.example.org");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
}

static void
test_invalid_hub_url (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *hub_url = NULL;
  GtkWidget *row;

  g_settings_set_string (f->settings, "hub-url", "https://good.example.org");
  open_window (f);
  row = child (f, "hub_url_row");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  assert_hub_url_rejected (f, "ftp://hub.example.org/");
  assert_hub_url_rejected (f, "hub.example.org");
  assert_hub_url_rejected (f, "https://");
  assert_hub_url_rejected (f, "http:///path-only");
  assert_hub_url_rejected (f, "https://hub example.org/");

  /* The error style follows the text as it is typed. */
  gtk_editable_set_text (GTK_EDITABLE (row), "http://127.0.0.1:9000/api/hub");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (row), "http:");
  g_assert_true (gtk_widget_has_css_class (row, "error"));

  type_and_apply (f, "hub_url_row", "HTTP://127.0.0.1:9000/api/hub");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  hub_url = g_settings_get_string (f->settings, "hub-url");
  g_assert_cmpstr (hub_url, ==, "HTTP://127.0.0.1:9000/api/hub");
  g_clear_pointer (&hub_url, g_free);

  /* The reason is said in words under the field */
  gtk_editable_set_text (GTK_EDITABLE (row), "htp://hub.example.org");
  g_assert_true (gtk_widget_get_visible (child (f, "hub_url_error")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "hub_url_error")), "Not a hub URL"));
  gtk_editable_set_text (GTK_EDITABLE (row), "http://127.0.0.1:9000/api/hub");
  g_assert_false (gtk_widget_get_visible (child (f, "hub_url_error")));

  /* Empty is valid: the built-in hub. */
  type_and_apply (f, "hub_url_row", "");
  hub_url = g_settings_get_string (f->settings, "hub-url");
  g_assert_cmpstr (hub_url, ==, "");
}

static void
test_events_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  const char * const initial[] = { "diagnosticreport-close", "patient-open", "syncerror", NULL };
  const char * const after_uncheck[] = { "syncerror", "patient-open", NULL };
  const char * const after_check[] = { "diagnosticreport-open", "diagnosticreport-select",
                                       "syncerror", "patient-open", NULL };

  g_settings_set_strv (f->settings, "events", initial);
  open_window (f);

  g_assert_false (check_active (f, "open_event_check"));
  g_assert_true (check_active (f, "close_event_check"));
  g_assert_true (check_active (f, "syncerror_event_check"));

  /* Events the window has no row for (patient-open) are kept. */
  gtk_check_button_set_active (child (f, "close_event_check"), FALSE);
  assert_events (f, after_uncheck);

  gtk_check_button_set_active (child (f, "select_event_check"), TRUE);
  gtk_check_button_set_active (child (f, "open_event_check"), TRUE);
  assert_events (f, after_check);

  /* Clicking the row toggles its check (activatable-widget). */
  adw_action_row_activate (child (f, "open_event_row"));
  g_assert_false (check_active (f, "open_event_check"));
  {
    const char * const expected[] = { "diagnosticreport-select", "syncerror", "patient-open", NULL };
    assert_events (f, expected);
  }
}

static void
test_last_event_stays (Fixture       *f,
                       gconstpointer  data)
{
  const char * const two[] = { "diagnosticreport-open", "syncerror", NULL };
  const char * const one[] = { "syncerror", NULL };
  GtkWidget *syncerror;

  g_settings_set_strv (f->settings, "events", two);
  open_window (f);
  syncerror = child (f, "syncerror_event_check");
  g_assert_true (gtk_widget_get_sensitive (syncerror));

  gtk_check_button_set_active (child (f, "open_event_check"), FALSE);
  assert_events (f, one);

  /* The last one is insensitive, and even a programmatic toggle (or an
   * activated row) cannot empty the list. */
  g_assert_false (gtk_widget_get_sensitive (syncerror));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (syncerror), FALSE);
  g_assert_true (check_active (f, "syncerror_event_check"));
  assert_events (f, one);

  /* Once another is on again, it can go. */
  gtk_check_button_set_active (child (f, "update_event_check"), TRUE);
  g_assert_true (gtk_widget_get_sensitive (syncerror));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (syncerror), FALSE);
  {
    const char * const expected[] = { "diagnosticreport-update", NULL };
    assert_events (f, expected);
  }
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  const char * const suffixes[] = {
    "auto_connect_switch",
    "open_event_check", "close_event_check", "update_event_check",
    "select_event_check", "syncerror_event_check",
  };
  const char * const rows[] = {
    "hub_url_row", "token_row", "topic_row", "gettopic_user_row", "subscriber_name_row",
    "open_event_row", "lease_row", "auto_connect_row", "ack_policy_row",
  };

  open_window (f);

  /* Controls inside rows are named after their row (GTK 4.8 reads a
   * labelled-by row as the control's type name, "GtkCheckButton"). */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      GtkWidget *widget = child (f, suffixes[i]);
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

      g_assert_nonnull (row);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = child (f, rows[i]);
      const char *tooltip = gtk_widget_get_tooltip_text (row);

      g_assert_nonnull (tooltip);
      g_assert_cmpuint (strlen (tooltip), >, 10);
      g_assert_nonnull (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
}


/* "abc" as the lease: refused as typed, with a message; out of range is
 * explained and never written or rewritten (issue 11) */
static void
test_lease_input (Fixture       *f,
                  gconstpointer  data)
{
  GtkEditable *row;
  GtkEditable *text;
  GtkWidget *error;
  int pos = 0;

  g_settings_set_int (f->settings, "lease-seconds", 3600);
  open_window (f);
  row = child (f, "lease_row");
  text = gtk_editable_get_delegate (row);
  error = child (f, "lease_error");
  g_assert_false (gtk_widget_get_visible (error));
  /* the text field has the row's name (not "GtkSpinButton" or "GtkText") */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, "Lease in Seconds");

  gtk_editable_set_text (row, "");
  gtk_editable_insert_text (text, "abc", -1, &pos);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "Only digits"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);

  /* too short: said, not written, not rewritten on Enter */
  type_and_apply (f, "lease_row", "10");
  g_assert_cmpint (g_settings_get_int (f->settings, "lease-seconds"), ==, 3600);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "10");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "at least 60 seconds"));
  type_and_apply (f, "lease_row", "100000");
  g_assert_cmpint (g_settings_get_int (f->settings, "lease-seconds"), ==, 3600);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "at most 86400"));

  type_and_apply (f, "lease_row", "120");
  g_assert_cmpint (g_settings_get_int (f->settings, "lease-seconds"), ==, 120);
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "lease_hint")), "2 minutes"));
}

static void
test_token_without_keyring (Fixture       *f,
                            gconstpointer  data)
{
  GtkLabel *status;
  GtkWidget *token_row;

  if (with_keyring)
    {
      g_test_skip ("a keyring is running");
      return;
    }

  open_window (f);
  status = child (f, "token_status_label");
  token_row = child (f, "token_row");

  /* No Secret Service: the lookup fails and says so inline. */
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "No keyring is available"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_false (gtk_widget_has_css_class (token_row, "error"));

  /* Applying a token tries to store it and fails the same way; now what
   * was typed is not saved, and the row says so too. */
  gtk_label_set_text (status, "");
  gtk_editable_set_text (GTK_EDITABLE (token_row), "s3cret-token");
  g_signal_emit_by_name (token_row, "apply");
  FCM_TEST_WAIT_UNTIL (strstr (gtk_label_get_text (status), "No keyring") != NULL);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_true (gtk_widget_has_css_class (token_row, "error"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (token_row),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       gtk_label_get_text (status));
  g_assert_null (strstr (gtk_label_get_text (status), "s3cret"));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
lookup_token (const char *hub_url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  fcm_secret_lookup_token_async (hub_url, NULL, on_done, &result);
  FCM_TEST_WAIT_UNTIL (result != NULL);
  token = fcm_secret_lookup_token_finish (result, &error);
  g_assert_no_error (error);

  return token;
}

static void
store_token (const char *hub_url,
             const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fcm_secret_store_token_async (hub_url, token, NULL, on_done, &result);
  FCM_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (fcm_secret_store_token_finish (result, &error));
  g_assert_no_error (error);
}

static gboolean
token_is (const char *hub_url,
          const char *expected)
{
  g_autofree char *token = lookup_token (hub_url);

  return g_strcmp0 (token, expected) == 0;
}

#define HUB_A "https://hub-a.example.org/fhircast"
#define HUB_B "wss://hub-b.example.org/ws"

static void
test_token_in_keyring (Fixture       *f,
                       gconstpointer  data)
{
  GtkLabel *status;
  GtkEditable *token_row;

  if (!with_keyring)
    {
      g_test_skip ("no keyring (run through run-with-keyring.sh)");
      return;
    }

  store_token (HUB_A, "token-a-1");
  g_settings_set_string (f->settings, "hub-url", HUB_A);
  open_window (f);
  status = child (f, "token_status_label");
  token_row = child (f, "token_row");

  /* The stored token is loaded for the configured hub. */
  FCM_TEST_WAIT_UNTIL (g_str_equal (gtk_editable_get_text (token_row), "token-a-1"));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Stored in the keyring");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));

  /* Not written per key press; written on apply. */
  gtk_editable_set_text (token_row, "token-a-2");
  g_assert_true (token_is (HUB_A, "token-a-1"));
  g_signal_emit_by_name (token_row, "apply");
  FCM_TEST_WAIT_UNTIL (token_is (HUB_A, "token-a-2"));
  FCM_TEST_WAIT_UNTIL (g_str_equal (gtk_label_get_text (status), "Stored in the keyring"));

  /* Empty removes it. */
  gtk_editable_set_text (token_row, "");
  g_signal_emit_by_name (token_row, "apply");
  FCM_TEST_WAIT_UNTIL (g_str_equal (gtk_label_get_text (status), "Removed from the keyring"));
  g_assert_true (token_is (HUB_A, NULL));

  /* Another hub applied: the row follows it, and the old hub's token (none
   * now) is not copied over. */
  store_token (HUB_B, "token-b");
  type_and_apply (f, "hub_url_row", HUB_B);
  FCM_TEST_WAIT_UNTIL (g_str_equal (gtk_editable_get_text (token_row), "token-b"));
  g_assert_true (token_is (HUB_A, NULL));

  /* Typed and closed without apply: still stored. */
  gtk_editable_set_text (token_row, "token-b-2");
  g_object_ref (f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_finalize_object (g_steal_pointer (&f->window));
  FCM_TEST_WAIT_UNTIL (token_is (HUB_B, "token-b-2"));

  /* Applied and closed at once: closing does not cancel the store, and
   * the window goes once the store is done. */
  open_window (f);
  token_row = child (f, "token_row");
  FCM_TEST_WAIT_UNTIL (g_str_equal (gtk_editable_get_text (token_row), "token-b-2"));
  gtk_editable_set_text (token_row, "token-b-3");
  g_signal_emit_by_name (token_row, "apply");
  {
    GtkWidget *window = g_steal_pointer (&f->window);

    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
    gtk_window_close (GTK_WINDOW (window));
    FCM_TEST_WAIT_UNTIL (window == NULL);
  }
  g_assert_true (token_is (HUB_B, "token-b-3"));

  store_token (HUB_B, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fcm_gtk_test_set_fatal_handler ();

  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  g_setenv ("GTK_A11Y", "test", TRUE);
  with_keyring = g_strcmp0 (g_getenv ("FCM_KEYRING_INNER"), "1") == 0;
  /* Otherwise a session bus that is not there: see the header comment. */
  if (!with_keyring)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fcm-test-no-bus", TRUE);

  if (!gtk_init_check ())
    {
      g_printerr ("test-preferences: no display, skipping\n");
      return 77;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/preferences/settings-to-widgets", test_settings_to_widgets);
  ADD ("/fcm/preferences/widgets-to-settings", test_widgets_to_settings);
  ADD ("/fcm/preferences/invalid-hub-url", test_invalid_hub_url);
  ADD ("/fcm/preferences/lease-input", test_lease_input);
  ADD ("/fcm/preferences/events-round-trip", test_events_round_trip);
  ADD ("/fcm/preferences/last-event-stays", test_last_event_stays);
  ADD ("/fcm/preferences/accessible", test_accessible);
  ADD ("/fcm/preferences/token-without-keyring", test_token_without_keyring);
  ADD ("/fcm/preferences/token-in-keyring", test_token_in_keyring);

#undef ADD

  return g_test_run ();
}
