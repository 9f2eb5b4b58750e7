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

#include "fcm-connection.h"
#include "fcm-test-util.h"
#include "fcm-tray.h"
#include "fcm-tray-menu.h"

#define SNI_PATH      "/StatusNotifierItem"
#define SNI_INTERFACE "org.kde.StatusNotifierItem"

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

/* Messages at level "message" or above from the tray's log domain. */
static guint tray_messages;

typedef struct
{
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  guint            object_id;
  guint            own_id;
  gboolean         owned;
  gboolean         reply_service_unknown;
  GPtrArray       *services;
  char            *last_sender;
} FakeWatcher;

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
  FakeWatcher *watcher = user_data;
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
  FakeWatcher *watcher = user_data;

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
  FakeWatcher *watcher = user_data;

  watcher->owned = TRUE;
}

static GDBusConnection *
new_private_connection (void)
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

static FakeWatcher *
fake_watcher_new (gboolean reply_service_unknown)
{
  FakeWatcher *watcher = g_new0 (FakeWatcher, 1);
  g_autoptr(GError) error = NULL;

  watcher->connection = new_private_connection ();
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

static void
fake_watcher_free (FakeWatcher *watcher)
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

/* An asynchronous call, waited for on the main loop. */
typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} CallResult;

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CallResult *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

static GVariant *
call (GDBusConnection    *connection,
      const char         *dest,
      const char         *path,
      const char         *interface,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type)
{
  CallResult result = { 0 };

  g_dbus_connection_call (connection, dest, path, interface, method, parameters,
                          reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL,
                          call_cb, &result);
  FCM_TEST_WAIT_UNTIL (result.done);
  g_assert_no_error (result.error);

  return result.reply;
}

static GVariant *
get_item_property (GDBusConnection *connection,
                   const char      *dest,
                   const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = call (connection, dest, SNI_PATH, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", SNI_INTERFACE, name), G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);

  return value;
}

static char *
get_item_string (GDBusConnection *connection,
                 const char      *dest,
                 const char      *name)
{
  g_autoptr(GVariant) value = get_item_property (connection, dest, name);

  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
                 g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH));
  return g_variant_dup_string (value, NULL);
}

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                G_VARIANT_TYPE ("(b)"));
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* A round trip on @connection, then whatever it queued for the main loop:
 * replies to calls made before have been handled afterwards. */
static void
flush (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;

  reply = call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for_bus_name (FcmTray         *tray,
                   GDBusConnection *other)
{
  const char *name = fcm_tray_get_bus_name (tray);

  g_assert_nonnull (name);
  FCM_TEST_WAIT_UNTIL (name_has_owner (other, name));
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

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

/* No watcher on the bus (a plain GNOME session): the item is exported and
 * owns its name, but stays unregistered, and nothing is logged above debug. */
static void
test_tray_no_watcher (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GDBusConnection) other = new_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  g_autofree char *status = NULL;
  TraySignals signals = { 0 };

  g_signal_connect (tray, "notify::registered", G_CALLBACK (notify_registered_cb), &signals);
  tray_messages = 0;

  g_assert_null (fcm_tray_get_bus_name (tray));
  fcm_tray_register (tray, bus);
  g_assert_true (g_str_has_prefix (fcm_tray_get_bus_name (tray), "org.kde.StatusNotifierItem-"));
  wait_for_bus_name (tray, other);
  g_assert_false (name_has_owner (other, "org.kde.StatusNotifierWatcher"));
  flush (bus);

  g_assert_false (fcm_tray_get_registered (tray));
  g_assert_cmpuint (signals.registered_notifies, ==, 0);
  g_assert_cmpuint (tray_messages, ==, 0);

  /* Still a working item for whoever asks. */
  status = get_item_string (other, fcm_tray_get_bus_name (tray), "Status");
  g_assert_cmpstr (status, ==, "Passive");
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  flush (bus);
  g_assert_cmpuint (tray_messages, ==, 0);
  g_assert_false (fcm_tray_get_registered (tray));
}

/* The watcher gets the registration, reads the properties, sees NewStatus
 * and NewToolTip, and activates the item. */
static void
test_tray_register (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
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
  FakeWatcher *watcher = fake_watcher_new (FALSE);
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
  category = get_item_string (watcher->connection, service, "Category");
  g_assert_cmpstr (category, ==, "ApplicationStatus");
  id = get_item_string (watcher->connection, service, "Id");
  g_assert_cmpstr (id, ==, "org.example.Tray");
  status = get_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "Passive");
  icon_name = get_item_string (watcher->connection, service, "IconName");
  g_assert_cmpstr (icon_name, ==, "org.example.Tray-symbolic");
  attention_icon_name = get_item_string (watcher->connection, service, "AttentionIconName");
  g_assert_cmpstr (attention_icon_name, !=, "");
  menu = get_item_string (watcher->connection, service, "Menu");
  g_assert_cmpstr (menu, ==, "/NO_DBUSMENU");
  item_is_menu = get_item_property (watcher->connection, service, "ItemIsMenu");
  g_assert_false (g_variant_get_boolean (item_is_menu));
  all = call (watcher->connection, service, SNI_PATH, "org.freedesktop.DBus.Properties", "GetAll",
              g_variant_new ("(s)", SNI_INTERFACE), G_VARIANT_TYPE ("(a{sv})"));
  props = g_variant_get_child_value (all, 0);
  g_assert_cmpuint (g_variant_n_children (props), >=, 10);

  /* Signals: subscribe, then a round trip on the watcher's connection so
   * the bus has the match rule before anything is emitted. */
  subscription = g_dbus_connection_signal_subscribe (watcher->connection, NULL, SNI_INTERFACE,
                                                     NULL, SNI_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     item_signal_cb, &seen, NULL);
  flush (watcher->connection);

  fcm_tray_set_tooltip (tray, "FHIRcast Monitor", "Subscribed to topic abc");
  FCM_TEST_WAIT_UNTIL (seen.tooltips == 1);
  tooltip = get_item_property (watcher->connection, service, "ToolTip");
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
  status = get_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  FCM_TEST_WAIT_UNTIL (seen.tooltips > n_tooltips);

  /* Setting the same status again emits nothing. */
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_NEEDS_ATTENTION);
  fcm_tray_set_status (tray, FCM_TRAY_STATUS_ACTIVE);
  FCM_TEST_WAIT_UNTIL (seen.statuses->len == 2);
  g_assert_cmpstr (g_ptr_array_index (seen.statuses, 1), ==, "Active");
  g_clear_pointer (&status, g_free);
  status = get_item_string (watcher->connection, service, "Status");
  g_assert_cmpstr (status, ==, "Active");

  /* Clicks. */
  g_variant_unref (call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "Activate",
                         g_variant_new ("(ii)", 10, 20), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.activated, ==, 1);
  g_assert_cmpint (signals.x, ==, 10);
  g_assert_cmpint (signals.y, ==, 20);
  g_variant_unref (call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "SecondaryActivate",
                         g_variant_new ("(ii)", 1, 2), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.secondary, ==, 1);
  g_variant_unref (call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "ContextMenu",
                         g_variant_new ("(ii)", 3, 4), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.context_menu, ==, 1);
  g_variant_unref (call (watcher->connection, service, SNI_PATH, SNI_INTERFACE, "Scroll",
                         g_variant_new ("(is)", 120, "vertical"), G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (signals.activated, ==, 1);

  g_dbus_connection_signal_unsubscribe (watcher->connection, subscription);
  g_ptr_array_unref (seen.statuses);
  fake_watcher_free (watcher);

  /* The watcher left: no longer registered. */
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));
}

/* A tray host started after the app (or restarted) gets the item too. */
static void
test_tray_watcher_later (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GDBusConnection) other = new_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FakeWatcher *watcher;

  fcm_tray_register (tray, bus);
  wait_for_bus_name (tray, other);
  flush (bus);
  g_assert_false (fcm_tray_get_registered (tray));

  watcher = fake_watcher_new (FALSE);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, fcm_tray_get_bus_name (tray));
  fake_watcher_free (watcher);
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));

  /* The host restarts. */
  watcher = fake_watcher_new (FALSE);
  FCM_TEST_WAIT_UNTIL (fcm_tray_get_registered (tray));
  g_assert_cmpuint (watcher->services->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, fcm_tray_get_bus_name (tray));
  fake_watcher_free (watcher);
  FCM_TEST_WAIT_UNTIL (!fcm_tray_get_registered (tray));
}

/* The well-known name cannot be owned (a sandbox, or taken): the item is
 * registered under the connection's unique name instead. */
static void
test_tray_unique_name_fallback (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GDBusConnection) other = new_private_connection ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FakeWatcher *watcher = fake_watcher_new (FALSE);

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
  fake_watcher_free (watcher);
}

/* A watcher answering ServiceUnknown: unregistered, debug output only. */
static void
test_tray_service_unknown (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FakeWatcher *watcher = fake_watcher_new (TRUE);

  tray_messages = 0;
  fcm_tray_register (tray, bus);
  FCM_TEST_WAIT_UNTIL (watcher->services->len == 1);
  flush (bus);
  g_assert_false (fcm_tray_get_registered (tray));
  g_assert_cmpuint (tray_messages, ==, 0);
  fake_watcher_free (watcher);
}

/* Disposing the tray while its registration is in flight, then going on. */
static void
test_tray_dispose_pending (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  FcmTray *tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  FakeWatcher *watcher = fake_watcher_new (FALSE);

  fcm_tray_register (tray, bus);
  g_object_unref (tray);
  flush (bus);
  flush (watcher->connection);
  fake_watcher_free (watcher);
}

/* ------------------------------------------------------------- the menu */

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

  reply = call (connection, dest, path, MENU_INTERFACE, "GetLayout",
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
  CallResult result = { 0 };
  const char *no_properties[] = { NULL };

  g_dbus_connection_call (connection, dest, path, MENU_INTERFACE, "GetLayout",
                          g_variant_new ("(ii^as)", 0, 0, no_properties), NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, call_cb, &result);
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
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(FcmTray) tray = fcm_tray_new ("org.example.Tray", "org.example.Tray-symbolic");
  g_autoptr(FcmTrayMenu) menu = fcm_tray_menu_new ("/MenuBar");
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *menu_path = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GVariant) reply = NULL;
  FakeWatcher *watcher = fake_watcher_new (FALSE);
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
  menu_path = get_item_string (watcher->connection, service, "Menu");
  g_assert_cmpstr (menu_path, ==, "/MenuBar");
  FCM_TEST_WAIT_UNTIL (menu_is_exported (watcher->connection, service, menu_path));

  /* not connected yet: nothing open, the commands that need a hub off */
  update_menu (menu, connection);
  flush (bus);
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
  flush (bus);
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
  reply = call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                G_VARIANT_TYPE_UNIT);
  FCM_TEST_WAIT_UNTIL (user.closed);
  g_assert_cmpuint (user.actions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (user.actions, 0), ==, "close-report");
  FCM_TEST_WAIT_UNTIL (fcm_context_store_get_current (store) == NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  update_menu (menu, connection);
  flush (bus);
  items = get_layout (watcher->connection, service, menu_path);
  g_assert_nonnull (find_item (items, "No report open"));
  g_assert_false (find_item (items, "Close Report")->enabled);
  g_clear_pointer (&summary, g_free);
  summary = fcm_tray_dup_summary (connection);
  g_assert_cmpstr (summary, ==, "No report open — in sync");

  /* an insensitive command does nothing, even if a host sends the event */
  item = find_item (items, "Close Report");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                G_VARIANT_TYPE_UNIT);
  flush (bus);
  g_assert_cmpuint (user.actions->len, ==, 1);

  /* the other commands only say what was chosen */
  item = find_item (items, "Quit");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call (watcher->connection, service, menu_path, MENU_INTERFACE, "Event",
                g_variant_new ("(isvu)", item->id, "clicked", g_variant_new_int32 (0), 0),
                G_VARIANT_TYPE_UNIT);
  FCM_TEST_WAIT_UNTIL (user.actions->len == 2);
  g_assert_cmpstr (g_ptr_array_index (user.actions, 1), ==, "quit");

  fcm_connection_stop (connection);
  g_ptr_array_unref (user.actions);
  fake_watcher_free (watcher);
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
  g_test_add_func ("/tray/menu", test_tray_menu);

  return g_test_run ();
}
