/* fcm-tray-menu.c: the tray icon's menu over com.canonical.dbusmenu (no GTK)
 *
 * A StatusNotifierItem names a menu object (its Menu property) that the
 * tray host reads over D-Bus with the com.canonical.dbusmenu interface;
 * libdbusmenu-glib serves it (GLib only). The menu answers "right patient?
 * still in sync?" without opening the window: the current patient, report
 * and study as insensitive items, the state of every hub, then the
 * commands Show Window, Open Report…, Close Report and Quit. The commands
 * only emit FcmTrayMenu::activated; the app carries them out.
 *
 * The same words make the tray tooltip ("Doe, Jane · MRN 4711 — in sync").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTray"

#include "config.h"

#include <glib/gi18n.h>
#include <libdbusmenu-glib/dbusmenu-glib.h>

#include "fcm-tray-menu.h"

struct _FcmTrayMenu
{
  GObject           parent_instance;

  char             *object_path;
  DbusmenuServer   *server;
  DbusmenuMenuitem *root;
  DbusmenuMenuitem *patient;
  DbusmenuMenuitem *report;
  DbusmenuMenuitem *study;
  DbusmenuMenuitem *open_report;
  DbusmenuMenuitem *close_report;
  GPtrArray        *hub_items;  /* one insensitive item per connection */
};

G_DEFINE_FINAL_TYPE (FcmTrayMenu, fcm_tray_menu, G_TYPE_OBJECT)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Position of the first hub item among the root's children: after the
 * patient, report and study items and a separator. */
#define HUB_ITEMS_POSITION 4

/* ------------------------------------------------------------- describing */

/**
 * fcm_tray_describe_patient:
 * @connection: (nullable): a connection
 *
 * Returns: (transfer full) (nullable): the patient of its current report
 *   ("Doe, Jane · MRN 4711"), %NULL when no report is open
 */
char *
fcm_tray_describe_patient (FcmConnection *connection)
{
  FcmContextItem *current;
  const char *name, *mrn;

  if (connection == NULL)
    return NULL;
  current = fcm_context_store_get_current (fcm_monitor_get_context_store (fcm_connection_get_monitor (connection)));
  if (current == NULL)
    return NULL;

  name = fcm_context_item_get_patient_name (current);
  mrn = fcm_context_item_get_mrn (current);
  if (name == NULL || name[0] == '\0')
    name = _("Unnamed patient");
  if (mrn == NULL || mrn[0] == '\0')
    return g_strdup (name);
  /* Translators: 1: a patient's name, 2: the patient's medical record number */
  return g_strdup_printf (_("%s · MRN %s"), name, mrn);
}

/**
 * fcm_tray_describe_state:
 * @connection: (nullable): a connection
 *
 * Returns: a few words for its state, to follow the patient ("in sync")
 */
const char *
fcm_tray_describe_state (FcmConnection *connection)
{
  if (connection == NULL)
    return _("no hub");
  /* Open Recording…: an old session's patient, not a live one */
  if (fcm_connection_get_recording (connection) != NULL)
    return _("a recording, read-only");
  if (fcm_connection_get_connection_lost (connection))
    return _("connection lost");
  if (fcm_connection_get_live (connection))
    return fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection))
           ? _("sync lost") : _("in sync");

  switch (fcm_connection_get_state (connection))
    {
    case FCM_CLIENT_STATE_CONNECTING:
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_RECONNECTING:
      return _("connecting");
    case FCM_CLIENT_STATE_ACTIVE:
    case FCM_CLIENT_STATE_RENEWING:
    case FCM_CLIENT_STATE_DENIED:
    case FCM_CLIENT_STATE_ERROR:
    case FCM_CLIENT_STATE_DISCONNECTED:
    default:
      return _("not connected");
    }
}

/**
 * fcm_tray_dup_summary:
 * @connection: (nullable): the connection shown
 *
 * Returns: (transfer full): one line for the tooltip: who is in context and
 *   whether the app follows ("Doe, Jane · MRN 4711 — in sync")
 */
char *
fcm_tray_dup_summary (FcmConnection *connection)
{
  g_autofree char *patient = fcm_tray_describe_patient (connection);

  if (patient != NULL)
    /* Translators: 1: a patient ("Doe, Jane · MRN 4711"), 2: a state ("in sync") */
    return g_strdup_printf (_("%s — %s"), patient, fcm_tray_describe_state (connection));
  /* Translators: %s is a state ("in sync") */
  return g_strdup_printf (_("No report open — %s"), fcm_tray_describe_state (connection));
}

/* ------------------------------------------------------------------ items */

static void
item_activated_cb (DbusmenuMenuitem *item,
                   guint             timestamp,
                   FcmTrayMenu      *self)
{
  const char *action = g_object_get_data (G_OBJECT (item), "fcm-action");

  /* a host may send the event for an item it shows as insensitive */
  if (!dbusmenu_menuitem_property_get_bool (item, DBUSMENU_MENUITEM_PROP_ENABLED))
    return;
  g_signal_emit (self, signals[ACTIVATED], 0, action);
}

static DbusmenuMenuitem *
append_item (FcmTrayMenu *self,
             const char  *label,
             const char  *action)
{
  DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

  dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_LABEL, label);
  if (action != NULL)
    {
      g_object_set_data (G_OBJECT (item), "fcm-action", (gpointer) action);
      g_signal_connect_object (item, DBUSMENU_MENUITEM_SIGNAL_ITEM_ACTIVATED,
                               G_CALLBACK (item_activated_cb), self, 0);
    }
  else
    dbusmenu_menuitem_property_set_bool (item, DBUSMENU_MENUITEM_PROP_ENABLED, FALSE);
  dbusmenu_menuitem_child_append (self->root, item);
  g_object_unref (item);  /* the root holds it */
  return item;
}

static void
append_separator (FcmTrayMenu *self)
{
  DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

  dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_TYPE, DBUSMENU_CLIENT_TYPES_SEPARATOR);
  dbusmenu_menuitem_child_append (self->root, item);
  g_object_unref (item);
}

/* Set only what changed: every change is a D-Bus signal to the host. */
static void
set_label (DbusmenuMenuitem *item,
           const char       *label)
{
  if (g_strcmp0 (dbusmenu_menuitem_property_get (item, DBUSMENU_MENUITEM_PROP_LABEL), label) != 0)
    dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_LABEL, label);
}

static void
set_bool (DbusmenuMenuitem *item,
          const char       *property,
          gboolean          value)
{
  if (dbusmenu_menuitem_property_get_bool (item, property) != value)
    dbusmenu_menuitem_property_set_bool (item, property, value);
}

static void
set_hub_count (FcmTrayMenu *self,
               guint        n)
{
  while (self->hub_items->len > n)
    {
      DbusmenuMenuitem *item = g_ptr_array_index (self->hub_items, self->hub_items->len - 1);

      dbusmenu_menuitem_child_delete (self->root, item);
      g_ptr_array_remove_index (self->hub_items, self->hub_items->len - 1);
    }
  while (self->hub_items->len < n)
    {
      DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

      dbusmenu_menuitem_property_set_bool (item, DBUSMENU_MENUITEM_PROP_ENABLED, FALSE);
      dbusmenu_menuitem_child_add_position (self->root, item, HUB_ITEMS_POSITION + self->hub_items->len);
      g_ptr_array_add (self->hub_items, item);
    }
}

/**
 * fcm_tray_menu_update:
 * @connections: (nullable): a #GListModel of #FcmConnection
 * @shown: (nullable): the connection the window shows; its report is the
 *   one the menu names and Close Report closes
 *
 * Brings the items up to date.
 */
void
fcm_tray_menu_update (FcmTrayMenu   *self,
                      GListModel    *connections,
                      FcmConnection *shown)
{
  g_autofree char *patient = fcm_tray_describe_patient (shown);
  FcmContextItem *current = NULL;
  guint n = connections ? g_list_model_get_n_items (connections) : 0;
  gboolean live = shown != NULL && fcm_connection_get_live (shown);

  g_return_if_fail (FCM_IS_TRAY_MENU (self));

  if (shown != NULL)
    current = fcm_context_store_get_current (fcm_monitor_get_context_store (fcm_connection_get_monitor (shown)));

  set_label (self->patient, patient ? patient : _("No report open"));
  if (current != NULL)
    {
      const char *status = fcm_context_item_get_report_status (current);
      const char *study = fcm_context_item_get_study_description (current);
      g_autofree char *report = NULL;
      g_autofree char *study_label = NULL;

      if (status != NULL)
        /* Translators: 1: a report id, 2: its status, e.g. "preliminary" */
        report = g_strdup_printf (_("Report %s (%s)"), fcm_context_item_get_anchor_id (current), status);
      else
        /* Translators: %s is a report id */
        report = g_strdup_printf (_("Report %s"), fcm_context_item_get_anchor_id (current));
      if (study == NULL || study[0] == '\0')
        study = fcm_context_item_get_accession (current);
      if (study == NULL || study[0] == '\0')
        study = fcm_context_item_get_study_id (current);
      if (study != NULL)
        /* Translators: %s is a study's description, accession number or id */
        study_label = g_strdup_printf (_("Study %s"), study);
      set_label (self->report, report);
      set_label (self->study, study_label ? study_label : "");
      set_bool (self->report, DBUSMENU_MENUITEM_PROP_VISIBLE, TRUE);
      set_bool (self->study, DBUSMENU_MENUITEM_PROP_VISIBLE, study_label != NULL);
    }
  else
    {
      set_bool (self->report, DBUSMENU_MENUITEM_PROP_VISIBLE, FALSE);
      set_bool (self->study, DBUSMENU_MENUITEM_PROP_VISIBLE, FALSE);
    }

  set_hub_count (self, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i);
      /* Translators: 1: a hub, e.g. "Built-in Hub", 2: its state, e.g. "Live" */
      g_autofree char *label = g_strdup_printf (_("%s: %s"), fcm_connection_get_title (connection),
                                                fcm_connection_get_status_text (connection));

      set_label (g_ptr_array_index (self->hub_items, i), label);
    }

  set_bool (self->open_report, DBUSMENU_MENUITEM_PROP_ENABLED, live);
  set_bool (self->close_report, DBUSMENU_MENUITEM_PROP_ENABLED, live && current != NULL);
}

/**
 * fcm_tray_menu_new:
 * @object_path: where to export the menu, e.g. "/MenuBar"
 *
 * Returns: (transfer full): a new menu, exported on the session bus as
 *   soon as libdbusmenu has it
 */
FcmTrayMenu *
fcm_tray_menu_new (const char *object_path)
{
  FcmTrayMenu *self;

  g_return_val_if_fail (g_variant_is_object_path (object_path), NULL);

  self = g_object_new (FCM_TYPE_TRAY_MENU, NULL);
  self->object_path = g_strdup (object_path);

  self->root = dbusmenu_menuitem_new ();
  self->patient = append_item (self, _("No report open"), NULL);
  self->report = append_item (self, "", NULL);
  self->study = append_item (self, "", NULL);
  dbusmenu_menuitem_property_set_bool (self->report, DBUSMENU_MENUITEM_PROP_VISIBLE, FALSE);
  dbusmenu_menuitem_property_set_bool (self->study, DBUSMENU_MENUITEM_PROP_VISIBLE, FALSE);
  append_separator (self);
  /* the hub items go here (HUB_ITEMS_POSITION) */
  append_separator (self);
  append_item (self, _("Show Window"), FCM_TRAY_MENU_SHOW_WINDOW);
  self->open_report = append_item (self, _("Open Report…"), FCM_TRAY_MENU_OPEN_REPORT);
  self->close_report = append_item (self, _("Close Report"), FCM_TRAY_MENU_CLOSE_REPORT);
  dbusmenu_menuitem_property_set_bool (self->open_report, DBUSMENU_MENUITEM_PROP_ENABLED, FALSE);
  dbusmenu_menuitem_property_set_bool (self->close_report, DBUSMENU_MENUITEM_PROP_ENABLED, FALSE);
  append_separator (self);
  append_item (self, _("Quit"), FCM_TRAY_MENU_QUIT);

  self->server = dbusmenu_server_new (object_path);
  dbusmenu_server_set_root (self->server, self->root);

  return self;
}

const char *
fcm_tray_menu_get_object_path (FcmTrayMenu *self)
{
  g_return_val_if_fail (FCM_IS_TRAY_MENU (self), NULL);

  return self->object_path;
}

static void
fcm_tray_menu_dispose (GObject *object)
{
  FcmTrayMenu *self = FCM_TRAY_MENU (object);

  g_clear_object (&self->server);
  g_clear_pointer (&self->hub_items, g_ptr_array_unref);
  g_clear_object (&self->root);

  G_OBJECT_CLASS (fcm_tray_menu_parent_class)->dispose (object);
}

static void
fcm_tray_menu_finalize (GObject *object)
{
  FcmTrayMenu *self = FCM_TRAY_MENU (object);

  g_free (self->object_path);

  G_OBJECT_CLASS (fcm_tray_menu_parent_class)->finalize (object);
}

static void
fcm_tray_menu_class_init (FcmTrayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_tray_menu_dispose;
  object_class->finalize = fcm_tray_menu_finalize;

  /**
   * FcmTrayMenu::activated:
   * @action: what the user chose: %FCM_TRAY_MENU_SHOW_WINDOW,
   *   %FCM_TRAY_MENU_OPEN_REPORT, %FCM_TRAY_MENU_CLOSE_REPORT or
   *   %FCM_TRAY_MENU_QUIT
   */
  signals[ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fcm_tray_menu_init (FcmTrayMenu *self)
{
  self->hub_items = g_ptr_array_new_with_free_func (g_object_unref);
}
