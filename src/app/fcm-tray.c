/* fcm-tray.c: a tray icon as a StatusNotifierItem over GDBus (no GTK)
 *
 * Debian 12 has no GTK 4 tray library (toolchain.md §10), so the item speaks
 * the StatusNotifierItem protocol itself: it exports org.kde.StatusNotifierItem
 * at /StatusNotifierItem, owns org.kde.StatusNotifierItem-<pid>-<n> and
 * registers that name with org.kde.StatusNotifierWatcher. The watcher is
 * watched, so a tray host started later (or restarted) gets the item too. A
 * GNOME session without the AppIndicator extension has no watcher: then the
 * item stays exported but unregistered, quietly.
 *
 * The status goes to NEEDS_ATTENTION while FHIRcast sync is lost; the app
 * decides that, this file only exports it. The item's menu is served by
 * FcmTrayMenu (fcm-tray-menu.c, com.canonical.dbusmenu); Menu names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTray"

#include "config.h"

#include <unistd.h>

#include "fcm-tray.h"

#define SNI_PATH            "/StatusNotifierItem"
#define SNI_INTERFACE       "org.kde.StatusNotifierItem"
#define WATCHER_NAME        "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH        "/StatusNotifierWatcher"
#define WATCHER_INTERFACE   "org.kde.StatusNotifierWatcher"
#define ATTENTION_ICON_NAME "dialog-warning"

static const char sni_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg name='x' type='i' direction='in'/>"
  "      <arg name='y' type='i' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg name='delta' type='i' direction='in'/>"
  "      <arg name='orientation' type='s' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'>"
  "      <arg name='status' type='s'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

struct _FcmTray
{
  GObject          parent_instance;

  char            *app_id;
  char            *icon_name;
  char            *tooltip_title;
  char            *tooltip_body;
  char            *menu_path;
  FcmTrayStatus    status;

  GDBusConnection *connection;
  GCancellable    *cancellable;
  char            *bus_name;
  guint            object_id;
  guint            own_id;
  guint            watch_id;

  guint            name_acquired : 1;
  guint            ever_acquired : 1;
  guint            watcher_present : 1;
  guint            register_pending : 1;
  guint            registered : 1;
};

G_DEFINE_FINAL_TYPE (FcmTray, fcm_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  PROP_STATUS,
  N_PROPS
};

enum {
  ACTIVATE,
  SECONDARY_ACTIVATE,
  CONTEXT_MENU,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GDBusNodeInfo *sni_info;
static guint instance_counter;

GType
fcm_tray_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { FCM_TRAY_STATUS_PASSIVE, "FCM_TRAY_STATUS_PASSIVE", "passive" },
        { FCM_TRAY_STATUS_ACTIVE, "FCM_TRAY_STATUS_ACTIVE", "active" },
        { FCM_TRAY_STATUS_NEEDS_ATTENTION, "FCM_TRAY_STATUS_NEEDS_ATTENTION", "needs-attention" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("FcmTrayStatus"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static const char *
status_to_string (FcmTrayStatus status)
{
  switch (status)
    {
    case FCM_TRAY_STATUS_ACTIVE:
      return "Active";
    case FCM_TRAY_STATUS_NEEDS_ATTENTION:
      return "NeedsAttention";
    case FCM_TRAY_STATUS_PASSIVE:
    default:
      return "Passive";
    }
}

static void
set_registered (FcmTray  *self,
                gboolean  registered)
{
  registered = !!registered;
  if (self->registered == (guint) registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
emit_item_signal (FcmTray    *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->object_id == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, SNI_PATH, SNI_INTERFACE,
                                      name, parameters, &error))
    g_debug ("Could not emit %s: %s", name, error->message);
}

/* D-Bus errors that only mean "no tray host right now". */
static gboolean
is_no_watcher_error (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void try_register (FcmTray *self);

static void
register_item_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FcmTray *self;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* disposed */

  self = FCM_TRAY (user_data);
  self->register_pending = FALSE;

  if (reply == NULL)
    {
      if (is_no_watcher_error (error))
        g_debug ("No StatusNotifierWatcher: %s", error->message);
      else
        g_message ("Could not register the tray icon: %s", error->message);
      set_registered (self, FALSE);
      return;
    }

  g_debug ("Registered %s with the StatusNotifierWatcher", self->bus_name);
  set_registered (self, TRUE);
}

static void
try_register (FcmTray *self)
{
  if (!self->name_acquired || !self->watcher_present ||
      self->registered || self->register_pending)
    return;

  self->register_pending = TRUE;
  g_dbus_connection_call (self->connection,
                          WATCHER_NAME, WATCHER_PATH, WATCHER_INTERFACE,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", self->bus_name),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, register_item_cb, self);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  FcmTray *self = user_data;

  g_debug ("Own %s", name);
  self->name_acquired = TRUE;
  self->ever_acquired = TRUE;
  try_register (self);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  FcmTray *self = user_data;

  /* Never got the well-known name (a Flatpak sandbox without --own-name, or
   * taken): watchers also accept the connection's unique name, with the
   * item at the usual path. */
  if (!self->ever_acquired && connection != NULL && g_dbus_connection_get_unique_name (connection) != NULL)
    {
      g_debug ("Could not own %s; registering as %s", name, g_dbus_connection_get_unique_name (connection));
      g_free (self->bus_name);
      self->bus_name = g_strdup (g_dbus_connection_get_unique_name (connection));
      self->ever_acquired = TRUE;
      self->name_acquired = TRUE;
      try_register (self);
      return;
    }

  g_debug ("Lost %s", name);
  self->name_acquired = FALSE;
  set_registered (self, FALSE);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  FcmTray *self = user_data;

  g_debug ("StatusNotifierWatcher appeared (%s)", name_owner);
  self->watcher_present = TRUE;
  /* A new watcher knows nothing about us, even if the old one did. */
  set_registered (self, FALSE);
  try_register (self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  FcmTray *self = user_data;

  g_debug ("No StatusNotifierWatcher on the bus");
  self->watcher_present = FALSE;
  set_registered (self, FALSE);
}

static void
item_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FcmTray *self = user_data;
  int x = 0, y = 0;

  g_object_ref (self);

  if (g_str_equal (method_name, "Activate"))
    {
      g_variant_get (parameters, "(ii)", &x, &y);
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[ACTIVATE], 0, x, y);
    }
  else if (g_str_equal (method_name, "SecondaryActivate"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[SECONDARY_ACTIVATE], 0);
    }
  else if (g_str_equal (method_name, "ContextMenu"))
    {
      g_variant_get (parameters, "(ii)", &x, &y);
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[CONTEXT_MENU], 0, x, y);
    }
  else if (g_str_equal (method_name, "Scroll"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }

  g_object_unref (self);
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
item_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  FcmTray *self = user_data;
  const char *title = g_get_application_name ();

  if (title == NULL)
    title = self->app_id;

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (self->app_id);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (title);
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (status_to_string (self->status));
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconThemePath") ||
      g_str_equal (property_name, "OverlayIconName") ||
      g_str_equal (property_name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (self->icon_name);
  if (g_str_equal (property_name, "AttentionIconName"))
    return g_variant_new_string (ATTENTION_ICON_NAME);
  if (g_str_equal (property_name, "IconPixmap") ||
      g_str_equal (property_name, "OverlayIconPixmap") ||
      g_str_equal (property_name, "AttentionIconPixmap"))
    return empty_pixmaps ();
  if (g_str_equal (property_name, "ToolTip"))
    {
      GVariant *children[4];

      children[0] = g_variant_new_string (self->status == FCM_TRAY_STATUS_NEEDS_ATTENTION
                                          ? ATTENTION_ICON_NAME : self->icon_name);
      children[1] = empty_pixmaps ();
      children[2] = g_variant_new_string (self->tooltip_title ? self->tooltip_title : title);
      children[3] = g_variant_new_string (self->tooltip_body ? self->tooltip_body : "");
      return g_variant_new_tuple (children, G_N_ELEMENTS (children));
    }
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (self->menu_path ? self->menu_path : "/NO_DBUSMENU");

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = {
  item_method_call,
  item_get_property,
  NULL,
  { 0 }
};

/**
 * fcm_tray_new:
 * @app_id: the application id, exported as the item's Id
 * @icon_name: a themed icon name for the normal state
 *
 * Returns: (transfer full): a new #FcmTray; nothing is on the bus until
 *   fcm_tray_register()
 */
FcmTray *
fcm_tray_new (const char *app_id,
              const char *icon_name)
{
  FcmTray *self;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (icon_name != NULL, NULL);

  self = g_object_new (FCM_TYPE_TRAY, NULL);
  self->app_id = g_strdup (app_id);
  self->icon_name = g_strdup (icon_name);

  return self;
}

/**
 * fcm_tray_register:
 * @self: a #FcmTray
 * @connection: the session bus
 *
 * Exports the item, owns its bus name and registers it with the
 * StatusNotifierWatcher, now or whenever one appears. Everything after
 * exporting the object is asynchronous; without a watcher nothing is logged
 * above debug level and #FcmTray:registered stays %FALSE.
 */
void
fcm_tray_register (FcmTray         *self,
                   GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FCM_IS_TRAY (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (self->connection == NULL);

  self->connection = g_object_ref (connection);
  self->cancellable = g_cancellable_new ();

  self->object_id = g_dbus_connection_register_object (connection, SNI_PATH,
                                                       sni_info->interfaces[0],
                                                       &item_vtable, self, NULL, &error);
  if (self->object_id == 0)
    {
      g_message ("Could not export the tray icon: %s", error->message);
      return;
    }

  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u",
                                    (int) getpid (), ++instance_counter);
  self->own_id = g_bus_own_name_on_connection (connection, self->bus_name,
                                               G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                               name_acquired_cb, name_lost_cb,
                                               self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
}

/**
 * fcm_tray_set_status:
 * @self: a #FcmTray
 * @status: the new status
 *
 * Emits NewStatus (and NewToolTip, whose icon follows the status) when the
 * status changes.
 */
void
fcm_tray_set_status (FcmTray       *self,
                     FcmTrayStatus  status)
{
  g_return_if_fail (FCM_IS_TRAY (self));
  g_return_if_fail (status <= FCM_TRAY_STATUS_NEEDS_ATTENTION);

  if (self->status == status)
    return;

  self->status = status;
  emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status_to_string (status)));
  emit_item_signal (self, "NewToolTip", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

FcmTrayStatus
fcm_tray_get_status (FcmTray *self)
{
  g_return_val_if_fail (FCM_IS_TRAY (self), FCM_TRAY_STATUS_PASSIVE);

  return self->status;
}

/**
 * fcm_tray_set_tooltip:
 * @self: a #FcmTray
 * @title: (nullable): the tooltip title; %NULL for the application name
 * @body: (nullable): the tooltip text (hosts may render simple markup)
 */
void
fcm_tray_set_tooltip (FcmTray    *self,
                      const char *title,
                      const char *body)
{
  g_return_if_fail (FCM_IS_TRAY (self));

  if (g_strcmp0 (self->tooltip_title, title) == 0 &&
      g_strcmp0 (self->tooltip_body, body) == 0)
    return;

  g_free (self->tooltip_title);
  self->tooltip_title = g_strdup (title);
  g_free (self->tooltip_body);
  self->tooltip_body = g_strdup (body);
  emit_item_signal (self, "NewToolTip", NULL);
}

/**
 * fcm_tray_set_menu_path:
 * @self: a #FcmTray
 * @object_path: (nullable): where the item's com.canonical.dbusmenu menu is
 *   exported on the same connection (see #FcmTrayMenu); %NULL for none
 *
 * Set it before fcm_tray_register(): hosts read Menu once.
 */
void
fcm_tray_set_menu_path (FcmTray    *self,
                        const char *object_path)
{
  g_return_if_fail (FCM_IS_TRAY (self));
  g_return_if_fail (object_path == NULL || g_variant_is_object_path (object_path));

  g_free (self->menu_path);
  self->menu_path = g_strdup (object_path);
}

gboolean
fcm_tray_get_registered (FcmTray *self)
{
  g_return_val_if_fail (FCM_IS_TRAY (self), FALSE);

  return self->registered;
}

/**
 * fcm_tray_get_bus_name:
 * @self: a #FcmTray
 *
 * Returns: (nullable): the well-known name the item owns (or asked for),
 *   %NULL before fcm_tray_register()
 */
const char *
fcm_tray_get_bus_name (FcmTray *self)
{
  g_return_val_if_fail (FCM_IS_TRAY (self), NULL);

  return self->bus_name;
}

static void
fcm_tray_dispose (GObject *object)
{
  FcmTray *self = FCM_TRAY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_id, g_bus_unown_name);
  if (self->object_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->object_id);
      self->object_id = 0;
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (fcm_tray_parent_class)->dispose (object);
}

static void
fcm_tray_finalize (GObject *object)
{
  FcmTray *self = FCM_TRAY (object);

  g_free (self->app_id);
  g_free (self->icon_name);
  g_free (self->tooltip_title);
  g_free (self->tooltip_body);
  g_free (self->menu_path);
  g_free (self->bus_name);

  G_OBJECT_CLASS (fcm_tray_parent_class)->finalize (object);
}

static void
fcm_tray_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  FcmTray *self = FCM_TRAY (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_tray_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  FcmTray *self = FCM_TRAY (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      fcm_tray_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_tray_class_init (FcmTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_tray_dispose;
  object_class->finalize = fcm_tray_finalize;
  object_class->get_property = fcm_tray_get_property;
  object_class->set_property = fcm_tray_set_property;

  /**
   * FcmTray:registered:
   *
   * Whether a StatusNotifierWatcher accepted the item (a tray host shows it).
   */
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FcmTray:status:
   *
   * The exported Status.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       FCM_TYPE_TRAY_STATUS, FCM_TRAY_STATUS_PASSIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FcmTray::activate:
   * @x: screen x of the click, as the host reports it
   * @y: screen y
   *
   * The user activated the item (usually a left click).
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  /**
   * FcmTray::secondary-activate:
   *
   * Secondary activation (usually a middle click).
   */
  signals[SECONDARY_ACTIVATE] =
    g_signal_new ("secondary-activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FcmTray::context-menu:
   * @x: screen x
   * @y: screen y
   *
   * The host asked for a context menu (usually a right click) although
   * the item exports one (fcm_tray_set_menu_path()), or has none.
   */
  signals[CONTEXT_MENU] =
    g_signal_new ("context-menu", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  sni_info = g_dbus_node_info_new_for_xml (sni_xml, NULL);
  g_assert (sni_info != NULL);
}

static void
fcm_tray_init (FcmTray *self)
{
  self->status = FCM_TRAY_STATUS_PASSIVE;
}
