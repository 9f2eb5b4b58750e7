/* test-tray.c: the StatusNotifierItem tray icon against a fake watcher
 *
 * No display needed, but a session bus: run under dbus-run-session. Exits 77
 * (meson: SKIP) without one. The fake org.kde.StatusNotifierWatcher lives on
 * a second connection to the same bus in this process, so every D-Bus call
 * the test makes is asynchronous and the main loop spins until the reply
 * arrives (the item answers from this very main loop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <unistd.h>

#include "fcm-test-tray.h"
#include "fcm-test-util.h"
#include "fcm-tray.h"

/* Messages at level "message" or above from the tray's log domain. */
static guint tray_messages;

static void
wait_for_bus_name (FcmTray         *tray,
                   GDBusConnection *other)
{
  const char *name = fcm_tray_get_bus_name (tray);

  g_assert_nonnull (name);
  FCM_TEST_WAIT_UNTIL (fcm_test_name_has_owner (other, name));
}

typedef struct
{
  guint activated;
  int   x, y;
  guint secondary;
  guint context_menu;
  guint registered_notifies;
} TraySignals;

static void
activate_cb (FcmTray     *tray,
             int          x,
             int          y,
             TraySignals *signals)
{
  signals->activated++;
  signals->x = x;
  signals->y = y;
}

static void
secondary_activate_cb (FcmTray     *tray,
                       TraySignals *signals)
{
  signals->secondary++;
}

static void
context_menu_cb (FcmTray     *tray,
                 int          x,
                 int          y,
                 TraySignals *signals)
{
  signals->context_menu++;
}

static void
notify_registered_cb (FcmTray     *tray,
                      GParamSpec  *pspec,
                      TraySignals *signals)
{
  signals->registered_notifies++;
}

typedef struct
{
  GPtrArray *statuses;
  guint      tooltips;
} ItemSignals;

static void
item_signal_cb (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  ItemSignals *seen = user_data;

  if (g_str_equal (signal, "NewStatus"))
    {
      const char *status = NULL;

      g_variant_get (parameters, "(&s)", &status);
      g_ptr_array_add (seen->statuses, g_strdup (status));
    }
  else if (g_str_equal (signal, "NewToolTip"))
    {
      seen->tooltips++;
    }
}

/* No watcher on the bus (a plain GNOME session): the item is exported and
 * owns its name, but stays unregistered, and nothing is logged above debug. */
static void
test_tray_no_watcher (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(GDBusConnection) other = fcm_test_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  g_autofree char *status = NULL;
  TraySignals signals = { 0 };

  g_signal_connect (tray, "notify::registered", G_CALLBACK (notify_registered_cb), &signals);
  tray_messages = 0;

  g_assert_null (fcm_tray_get_bus_name (tray));
  fcm_tray_register (tray, bus);
  g_assert_true (g_str_has_prefix (fcm_tray_get_bus_name (tray), "org.kde.StatusNotifierItem-"));
  wait_for_bus_name (tray, other);
  g_assert_false (fcm_test_name_has_owner (other, "org.kde.StatusNotifierWatcher"));
  fcm_test_dbus_flush (bus);

  g_assert_false (fcm_tray_get_registered (tray));
  g_assert_cmpuint (signals.registered_notifies, ==, 0);
  g_assert_cmpuint (tray_messages, ==, 0);

  /* Still a working item for whoever asks. */
  status = fcm_test_item_string (other, fcm_tray_get_bus_name (tray), "Status");
  g_assert_cmpstr (status, ==, "Passive");
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  fcm_test_dbus_flush (bus);
  g_assert_cmpuint (tray_messages, ==, 0);
  g_assert_false (fcm_tray_get_registered (tray));
}

/* The watcher gets the registration, reads the properties, sees NewStatus
 * and NewToolTip, and activates the item. */
static void
test_tray_register (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) item_is_menu = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autofree char *status = NULL;
  g_autofree char *id = NULL;
  g_autofree char *category = NULL;
  g_autofree char *icon_name = NULL;
  g_autofree char *attention_icon_name = NULL;
  g_autofree char *menu = NULL;
  const char *tip_icon = NULL, *tip_title = NULL, *tip_body = NULL;
  FcmTestWatcher *watcher = fcm_test_watcher_new (FALSE);
  ItemSignals seen = { g_ptr_array_new_with_free_func (g_free), 0 };
  TraySignals signals = { 0 };
  const char *service;
  guint subscription;
  guint n_tooltips;

  g_signal_connect (tray, "activate", G_CALLBACK (activate_cb), &signals);
  g_signal_connect (tray, "secondary-activate", G_CALLBACK (secondary_activate_cb), &signals);
  g_signal_connect (tray, "context-menu", G_CALLBACK (context_menu_cb), &signals);
  g_signal_connect (tray, "notify::registered", G_CALLBACK (notify_registered_cb), &signals);

  fcm_tray_register (tray, bus);
  FCM_TEST_WAIT_UNTIL (watcher->services->len > 0);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpuint (signals.registered_notifies, ==, 1);

  /* The service is our well-known name, and the call came from its owner. */
  service = g_ptr_array_index (watcher->services, 0);
  g_assert_cmpstr (service, ==, fcm_tray_get_bus_name (tray));
  g_assert_cmpstr (watcher->last_sender, ==, g_dbus_connection_get_unique_name (bus));

  /* Properties, as a host reads them. */
  category = fcm_test_item_string (watcher->connection, service, "Category");
  g_assert_cmpstr (category, ==, "ApplicationStatus");
  id = fcm_test_item_string (watcher->connection, service, "Id");
  g_assert_cmpstr (id, ==, "org.example.Tray");
  status = fcm_test_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "Passive");
  icon_name = fcm_test_item_string (watcher->connection, service, "IconName");
  g_assert_cmpstr (icon_name, ==, "org.example.Tray-symbolic");
  attention_icon_name = fcm_test_item_string (watcher->connection, service, "AttentionIconName");
  g_assert_cmpstr (attention_icon_name, !=, "");
  menu = fcm_test_item_string (watcher->connection, service, "Menu");
  g_assert_cmpstr (menu, ==, "/NO_DBUSMENU");
  item_is_menu = fcm_test_item_property (watcher->connection, service, "ItemIsMenu");
  g_assert_false (g_variant_get_boolean (item_is_menu));
  all = fcm_test_dbus_call (watcher->connection, service, SNI_PATH, "org.freedesktop.DBus.Properties", "GetAll",
                            g_variant_new ("(s)", SNI_INTERFACE), G_VARIANT_TYPE ("(a{sv})"));
  props = g_variant_get_child_value (all, 0);
  g_assert_cmpuint (g_variant_n_children (props), >=, 10);

  /* Signals: subscribe, then a round trip on the watcher's connection so
   * the bus has the match rule before anything is emitted. */
  subscription = g_dbus_connection_signal_subscribe (watcher->connection, NULL, SNI_INTERFACE,
                                                     NULL, SNI_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     item_signal_cb, &seen, NULL);
  fcm_test_dbus_flush (watcher->connection);

  fcm_tray_set_tooltip (tray, "FHIRcast Monitor", "Subscribed to topic abc");
  FCM_TEST_WAIT_UNTIL (seen.tooltips == 1);
  tooltip = fcm_test_item_property (watcher->connection, service, "ToolTip");
  g_assert_true (g_variant_is_of_type (tooltip, G_VARIANT_TYPE ("(sa(iiay)ss)")));
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &tip_icon, &pixmaps, &tip_title, &tip_body);
  g_assert_cmpstr (tip_icon, ==, "org.example.Tray-symbolic");
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 0);
  g_assert_cmpstr (tip_title, ==, "FHIRcast Monitor");
  g_assert_cmpstr (tip_body, ==, "Subscribed to topic abc");

  /* Sync lost: NewStatus carries the new value and the property follows. */
  n_tooltips = seen.tooltips;
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  g_assert_cmpint (fcm_tray_get_status (tray), ==, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  FCM_TEST_WAIT_UNTIL (seen.statuses->len == 1);
  g_assert_cmpstr (g_ptr_array_index (seen.statuses, 0), ==, "NeedsAttention");
  g_clear_pointer (&status, g_free);
  status = fcm_test_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  FCM_TEST_WAIT_UNTIL (seen.tooltips > n_tooltips);

  /* Setting the same status again emits nothing. */
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_ACTIVE);
  FCM_TEST_WAIT_UNTIL (seen.statuses->len == 2);
  g_assert_cmpstr (g_ptr_array_index (seen.statuses, 1), ==, "Active");
  g_clear_pointer (&status, g_free);
  status = fcm_test_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "Active");

  /* Clicks. */
  g_variant_unref (fcm_test_dbus_call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "Activate",
                                       g_variant_new ("(ii)", 10, 20), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.activated, ==, 1);
  g_assert_cmpint (signals.x, ==, 10);
  g_assert_cmpint (signals.y, ==, 20);
  g_variant_unref (fcm_test_dbus_call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "SecondaryActivate",
                                       g_variant_new ("(ii)", 1, 2), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.secondary, ==, 1);
  g_variant_unref (fcm_test_dbus_call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "ContextMenu",
                                       g_variant_new ("(ii)", 3, 4), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.context_menu, ==, 1);
  g_variant_unref (fcm_test_dbus_call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "Scroll",
                                       g_variant_new ("(is)", 120, "vertical"), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.activated, ==, 1);

  g_dbus_connection_signal_unsubscribe (watcher->connection, subscription);
  g_ptr_array_unref (seen.statuses);
  fcm_test_watcher_free (watcher);

  /* The watcher left: no longer registered. */
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));
}

/* A tray host started after the app (or restarted) gets the item too. */
static void
test_tray_watcher_later (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(GDBusConnection) other = fcm_test_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FcmTestWatcher *watcher;

  fcm_tray_register (tray, bus);
  wait_for_bus_name (tray, other);
  fcm_test_dbus_flush (bus);
  g_assert_false (fcm_tray_get_registered (tray));

  watcher = fcm_test_watcher_new (FALSE);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, fcm_tray_get_bus_name (tray));
  fcm_test_watcher_free (watcher);
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));

  /* The host restarts. */
  watcher = fcm_test_watcher_new (FALSE);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, fcm_tray_get_bus_name (tray));
  fcm_test_watcher_free (watcher);
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));
}

/* The well-known name cannot be owned (a sandbox, or taken): the item is
 * registered under the connection's unique name instead. */
static void
test_tray_unique_name_fallback (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(GDBusConnection) other = fcm_test_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FcmTestWatcher *watcher = fcm_test_watcher_new (FALSE);

  /* whatever instance number the tray picks next, it is taken */
  for (guint n = 1; n <= 64; n++)
    {
      g_autofree char *name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (), n);
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;

      reply = g_dbus_connection_call_sync (other, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "RequestName",
                                           g_variant_new ("(su)", name, 4 /* DO_NOT_QUEUE */),
                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
    }

  fcm_tray_register (tray, bus);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpstr (fcm_tray_get_bus_name (tray), ==, g_dbus_connection_get_unique_name (bus));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, g_dbus_connection_get_unique_name (bus));
  fcm_test_watcher_free (watcher);
}

/* A watcher answering ServiceUnknown: unregistered, debug output only. */
static void
test_tray_service_unknown (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FcmTestWatcher *watcher = fcm_test_watcher_new (TRUE);

  tray_messages = 0;
  fcm_tray_register (tray, bus);
  FCM_TEST_WAIT_UNTIL (watcher->services->len == 1);
  fcm_test_dbus_flush (bus);
  g_assert_false (fcm_tray_get_registered (tray));
  g_assert_cmpuint (tray_messages, ==, 0);
  fcm_test_watcher_free (watcher);
}

/* Disposing the tray while its registration is in flight, then going on. */
static void
test_tray_dispose_pending (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  FcmTray *tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FcmTestWatcher *watcher = fcm_test_watcher_new (FALSE);

  fcm_tray_register (tray, bus);
  g_object_unref (tray);
  fcm_test_dbus_flush (bus);
  fcm_test_dbus_flush (watcher->connection);
  fcm_test_watcher_free (watcher);
}

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") &&
          fields[i].length == -1 &&
          g_strcmp0 (fields[i].value, "FcmTray") == 0 &&
          (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                        G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)) != 0)
        tray_messages++;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) bus = NULL;

  setlocale (LC_ALL, "");
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      g_printerr ("No session bus; run under dbus-run-session\n");
      return 77;
    }
  g_dbus_connection_set_exit_on_close (bus, FALSE);

  g_test_add_func ("/tray/no-watcher", test_tray_no_watcher);
  g_test_add_func ("/tray/register", test_tray_register);
  g_test_add_func ("/tray/watcher-later", test_tray_watcher_later);
  g_test_add_func ("/tray/service-unknown", test_tray_service_unknown);
  g_test_add_func ("/tray/unique-name-fallback", test_tray_unique_name_fallback);
  g_test_add_func ("/tray/dispose-pending", test_tray_dispose_pending);

  return g_test_run ();
}
