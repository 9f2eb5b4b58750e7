/* fcm-test-tray.c: a fake StatusNotifierWatcher and D-Bus helpers for the
 * tray tests
 *
 * The fake org.kde.StatusNotifierWatcher lives on a second connection to the
 * same bus in the test's process, so every D-Bus call the tests make is
 * asynchronous and the main loop spins until the reply arrives (the item
 * answers from this very main loop).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-test-tray.h"
#include "fcm-test-util.h"

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <method name='RegisterStatusNotifierHost'>"
  "      <arg name='service' type='s' direction='in'/>"
  "    </method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "  </interface>"
  "</node>";

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  FcmTestWatcher *watcher = user_data;
  const char *service = NULL;

  if (!g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  if (watcher->reply_service_unknown)
    {
      g_dbus_method_invocation_return_dbus_error (invocation,
                                                  "org.freedesktop.DBus.Error.ServiceUnknown",
                                                  "The name is not activatable");
      g_ptr_array_add (watcher->services, g_strdup ("(refused)"));
      return;
    }

  g_variant_get (parameters, "(&s)", &service);
  g_ptr_array_add (watcher->services, g_strdup (service));
  g_free (watcher->last_sender);
  watcher->last_sender = g_strdup (sender);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  FcmTestWatcher *watcher = user_data;

  if (g_str_equal (property_name, "RegisteredStatusNotifierItems"))
    return g_variant_new_strv ((const char * const *) watcher->services->pdata, watcher->services->len);
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  watcher_method_call, watcher_get_property, NULL, { 0 }
};

static void
watcher_name_acquired_cb (GDBusConnection *connection,
                          const char      *name,
                          gpointer         user_data)
{
  FcmTestWatcher *watcher = user_data;

  watcher->owned = TRUE;
}

GDBusConnection *
fcm_test_private_connection (void)
{
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);

  return connection;
}

FcmTestWatcher *
fcm_test_watcher_new (gboolean reply_service_unknown)
{
  FcmTestWatcher *watcher = g_new0 (FcmTestWatcher, 1);
  g_autoptr(GError) error = NULL;

  watcher->connection = fcm_test_private_connection ();
  watcher->reply_service_unknown = reply_service_unknown;
  watcher->services = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  watcher->info = g_dbus_node_info_new_for_xml (watcher_xml, &error);
  g_assert_no_error (error);
  watcher->object_id = g_dbus_connection_register_object (watcher->connection,
                                                          "/StatusNotifierWatcher",
                                                          watcher->info->interfaces[0],
                                                          &watcher_vtable, watcher, NULL, &error);
  g_assert_no_error (error);
  watcher->own_id = g_bus_own_name_on_connection (watcher->connection,
                                                  "org.kde.StatusNotifierWatcher",
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  watcher_name_acquired_cb, NULL,
                                                  watcher, NULL);
  FCM_TEST_WAIT_UNTIL (watcher->owned);

  return watcher;
}

void
fcm_test_watcher_free (FcmTestWatcher *watcher)
{
  g_autoptr(GError) error = NULL;

  g_bus_unown_name (watcher->own_id);
  g_dbus_connection_unregister_object (watcher->connection, watcher->object_id);
  g_dbus_connection_close_sync (watcher->connection, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (watcher->connection);
  g_dbus_node_info_unref (watcher->info);
  g_ptr_array_unref (watcher->services);
  g_free (watcher->last_sender);
  g_free (watcher);
}

void
fcm_test_dbus_call_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  FcmTestCallResult *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

GVariant *
fcm_test_dbus_call (GDBusConnection    *connection,
                    const char         *dest,
                    const char         *path,
                    const char         *interface,
                    const char         *method,
                    GVariant           *parameters,
                    const GVariantType *reply_type)
{
  FcmTestCallResult result = { 0 };

  g_dbus_connection_call (connection, dest, path, interface, method, parameters,
                          reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL,
                          fcm_test_dbus_call_cb, &result);
  FCM_TEST_WAIT_UNTIL (result.done);
  g_assert_no_error (result.error);

  return result.reply;
}

GVariant *
fcm_test_item_property (GDBusConnection *connection,
                        const char      *dest,
                        const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = fcm_test_dbus_call (connection, dest, SNI_PATH, "org.freedesktop.DBus.Properties", "Get",
                              g_variant_new ("(ss)", SNI_INTERFACE, name), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);

  return value;
}

char *
fcm_test_item_string (GDBusConnection *connection,
                      const char      *dest,
                      const char      *name)
{
  g_autoptr(GVariant) value = fcm_test_item_property (connection, dest, name);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
                 g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH));
  return g_variant_dup_string (value, NULL);
}

gboolean
fcm_test_name_has_owner (GDBusConnection *connection,
                         const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = fcm_test_dbus_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                              G_VARIANT_TYPE ("(b)"));
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* A round trip on @connection, then whatever it queued for the main loop:
 * replies to calls made before have been handled afterwards. */
void
fcm_test_dbus_flush (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;

  reply = fcm_test_dbus_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GDBusConnection *
fcm_test_session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

