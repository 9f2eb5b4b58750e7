/* test-tray-menu.c: the tray icon's menu, as a tray host reads and uses it
 *
 * Issue 12.3. The item and its FcmTrayMenu on the session bus; a fake
 * StatusNotifierWatcher on a second connection reads the layout over
 * com.canonical.dbusmenu (GetLayout) and activates items (Event). The menu
 * describes a real connection on the built-in hub, with a report opened
 * and closed through it. No display needed, but a session bus: run under
 * dbus-run-session; exits 77 (meson: SKIP) without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "fcm-connection.h"
#include "fcm-test-tray.h"
#include "fcm-test-util.h"
#include "fcm-tray.h"
#include "fcm-tray-menu.h"

#define MENU_INTERFACE "com.canonical.dbusmenu"

typedef struct
{
  int       id;
  char     *label;
  char     *type;
  gboolean  enabled;
  gboolean  visible;
} MenuItem;

static void
menu_item_free (MenuItem *item)
{
  g_free (item->label);
  g_free (item->type);
  g_free (item);
}

/* The root's children as a host reads them: GetLayout (parent 0, all
 * levels, all properties). Defaults of the protocol: enabled and visible
 * when not said otherwise. */
static GPtrArray *
get_layout (GDBusConnection *connection,
            const char      *dest,
            const char      *path)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) children = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) menu_item_free);
  const char *no_properties[] = { NULL };
  guint revision = 0;

  reply = fcm_test_dbus_call (connection, dest, path, MENU_INTERFACE, "GetLayout",
                              g_variant_new ("(ii^as)", 0, -1, no_properties), G_VARIANT_TYPE ("(u(ia{sv}av))"));
  g_variant_get (reply, "(u@(ia{sv}av))", &revision, &root);
  children = g_variant_get_child_value (root, 2);
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (child, 1);
      MenuItem *item = g_new0 (MenuItem, 1);
      const char *text = NULL;

      g_variant_get_child (child, 0, "i", &item->id);
      item->enabled = TRUE;
      item->visible = TRUE;
      g_variant_lookup (props, "enabled", "b", &item->enabled);
      g_variant_lookup (props, "visible", "b", &item->visible);
      if (g_variant_lookup (props, "label", "&s", &text))
        item->label = g_strdup (text);
      if (g_variant_lookup (props, "type", "&s", &text))
        item->type = g_strdup (text);
      g_test_message ("menu item %d: %s%s%s", item->id, item->label ? item->label : item->type,
                      item->enabled ? "" : " (insensitive)", item->visible ? "" : " (hidden)");
      g_ptr_array_add (items, item);
    }
  return items;
}

static MenuItem *
find_item (GPtrArray  *items,
           const char *label)
{
  for (guint i = 0; i < items->len; i++)
    {
      MenuItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->label, label) == 0)
        return item;
    }
  return NULL;
}

/* libdbusmenu exports the menu once it has the bus (on the main loop). */
static gboolean
menu_is_exported (GDBusConnection *connection,
                  const char      *dest,
                  const char      *path)
{
  FcmTestCallResult result = { 0 };
  const char *no_properties[] = { NULL };

  g_dbus_connection_call (connection, dest, path, MENU_INTERFACE, "GetLayout",
                          g_variant_new ("(ii^as)", 0, 0, no_properties), NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, fcm_test_dbus_call_cb, &result);
  FCM_TEST_WAIT_UNTIL (result.done);
  g_clear_pointer (&result.reply, g_variant_unref);
  if (result.error == NULL)
    return TRUE;
  g_clear_error (&result.error);
  return FALSE;
}

typedef struct
{
  FcmConnection *connection;
  GPtrArray     *actions;
  gboolean       closed;
} MenuUser;

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MenuUser *user = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fcm_connection_publish_finish (FCM_CONNECTION (source), result, NULL, &error), ==, 200);
  g_assert_no_error (error);
  user->closed = TRUE;
}

/* What the app does with the menu's commands; Close Report closes the
 * report of the connection shown (C-47). */
static void
menu_activated_cb (FcmTrayMenu *menu,
                   const char  *action,
                   MenuUser    *user)
{
  g_ptr_array_add (user->actions, g_strdup (action));
  if (g_str_equal (action, FCM_TRAY_MENU_CLOSE_REPORT))
    {
      g_autoptr(GError) error = NULL;
      JsonArray *context = fcm_connection_build_close (user->connection, &error);

      g_assert_no_error (error);
      fcm_connection_publish_async (user->connection, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, context,
                                    NULL, closed_cb, user);
    }
}

/* An open whose patient has a name, as a reporting app sends it. */
static JsonArray *
open_context (void)
{
  JsonArray *context = fcm_context_build_open ("rpt-1", "pat-1", "study-1", "ACC-77", "4711");

  for (guint i = 0; i < json_array_get_length (context); i++)
    {
      JsonObject *item = json_array_get_object_element (context, i);
      JsonObject *resource = json_object_get_object_member (item, "resource");

      if (g_strcmp0 (json_object_get_string_member_with_default (resource, "resourceType", NULL), "Patient") == 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert_true (json_parser_load_from_data (parser, "[{\"text\":\"Doe, Jane\"}]", -1, NULL));
          json_object_set_member (resource, "name", json_node_copy (json_parser_get_root (parser)));
        }
    }
  return context;
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *status = user_data;

  *status = fcm_connection_publish_finish (FCM_CONNECTION (source), result, NULL, NULL);
}

static void
update_menu (FcmTrayMenu   *menu,
             FcmConnection *connection)
{
  g_autoptr(GListStore) connections = g_list_store_new (FCM_TYPE_CONNECTION);

  g_list_store_append (connections, connection);
  fcm_tray_menu_update (menu, G_LIST_MODEL (connections), connection);
}

/* Issue 12.3: a host (the fake watcher's connection) reads the item's menu
 * over com.canonical.dbusmenu: patient, report and study, the hub's state,
 * the commands; Close Report, activated through Event, closes the report. */
static void
test_tray_menu (void)
{
  g_autoptr(GDBusConnection) bus = fcm_test_session_bus ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  g_autoptr(FcmTrayMenu) menu = fcm_tray_menu_new ("/MenuBar");
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *menu_path = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GVariant) reply = NULL;
  FcmTestWatcher *watcher = fcm_test_watcher_new (FALSE);
  MenuUser user = { NULL, g_ptr_array_new_with_free_func (g_free), FALSE };
  FcmContextStore *store;
  const char *service;
  MenuItem *item;
  guint status = 0;

  connection = fcm_connection_new_embedded (&error);
  g_assert_no_error (error);
  user.connection = connection;
  store = fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));
  g_signal_connect (menu, "activated", G_CALLBACK (menu_activated_cb), &user);

  fcm_tray_set_menu_path (tray, fcm_tray_menu_get_object_path (menu));
  fcm_tray_register (tray, bus);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  service = g_ptr_array_index (watcher->services, 0);

  /* the item names its menu; the host reads it there */
  menu_path = fcm_test_item_string (watcher->connection, service, "Menu");
  g_assert_cmpstr (menu_path, ==, "/MenuBar");
  FCM_TEST_WAIT_UNTIL (menu_is_exported (watcher->connection, service, menu_path));

  /* not connected yet: nothing open, the commands that need a hub off */
  update_menu (menu, connection);
  fcm_test_dbus_flush (bus);
  items = get_layout (watcher->connection, service, menu_path);
  item = find_item (items, "No report open");
  g_assert_nonnull (item);
  g_assert_false (item->enabled);
  g_assert_nonnull (find_item (items, "Built-in Hub: Not connected"));
  g_assert_true (find_item (items, "Show Window")->enabled);
  g_assert_false (find_item (items, "Open Report…")->enabled);
  g_assert_false (find_item (items, "Close Report")->enabled);
  g_assert_true (find_item (items, "Quit")->enabled);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* live, a report open: its patient, report and study; the hub in sync */
  fcm_connection_start (connection);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  fcm_connection_publish_async (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open_context (),
                                NULL, published_cb, &status);
  FCM_TEST_WAIT_UNTIL (status == 200 && fcm_context_store_get_current (store) != NULL);
  update_menu (menu, connection);
  summary = fcm_tray_dup_summary (connection);
  g_assert_cmpstr (summary, ==, "Doe, Jane · MRN 4711 — in sync");
  fcm_test_dbus_flush (bus);
  items = get_layout (watcher->connection, service, menu_path);
  item = find_item (items, "Doe, Jane · MRN 4711");
  g_assert_nonnull (item);
  g_assert_false (item->enabled);
  g_assert_true (item->visible);
  g_assert_nonnull (find_item (items, "Report rpt-1 (unknown)"));
  g_assert_false (find_item (items, "Report rpt-1 (unknown)")->enabled);
  g_assert_nonnull (find_item (items, "Study ACC-77"));
  g_assert_nonnull (find_item (items, "Built-in Hub: Live"));
  g_assert_true (find_item (items, "Open Report…")->enabled);
  item = find_item (items, "Close Report");
  g_assert_true (item->enabled);

  /* the host activates Close Report */
  reply = fcm_test_dbus_call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                              g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                              G_VARIANT_TYPE_UNIT);
  FCM_TEST_WAIT_UNTIL (user.closed);
  g_assert_cmpuint (user.actions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (user.actions, 0), ==, "close-report");
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (store) == NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  update_menu (menu, connection);
  fcm_test_dbus_flush (bus);
  items = get_layout (watcher->connection, service, menu_path);
  g_assert_nonnull (find_item (items, "No report open"));
  g_assert_false (find_item (items, "Close Report")->enabled);
  g_clear_pointer (&summary, g_free);
  summary = fcm_tray_dup_summary (connection);
  g_assert_cmpstr (summary, ==, "No report open — in sync");

  /* an insensitive command does nothing, even if a host sends the event */
  item = find_item (items, "Close Report");
  g_clear_pointer (&reply, g_variant_unref);
  reply = fcm_test_dbus_call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                              g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                              G_VARIANT_TYPE_UNIT);
  fcm_test_dbus_flush (bus);
  g_assert_cmpuint (user.actions->len, ==, 1);

  /* the other commands only say what was chosen */
  item = find_item (items, "Quit");
  g_clear_pointer (&reply, g_variant_unref);
  reply = fcm_test_dbus_call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                              g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                              G_VARIANT_TYPE_UNIT);
  FCM_TEST_WAIT_UNTIL (user.actions->len == 2);
  g_assert_cmpstr (g_ptr_array_index (user.actions, 1), ==, "quit");

  fcm_connection_stop (connection);
  g_ptr_array_unref (user.actions);
  fcm_test_watcher_free (watcher);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) bus = NULL;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      g_printerr ("No session bus; run under dbus-run-session\n");
      return 77;
    }
  g_dbus_connection_set_exit_on_close (bus, FALSE);

  g_test_add_func ("/tray/menu", test_tray_menu);

  return g_test_run ();
}
