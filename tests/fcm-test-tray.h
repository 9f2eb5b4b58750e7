/* fcm-test-tray.h: a fake StatusNotifierWatcher and D-Bus helpers for the
 * tray tests (test-tray, test-tray-menu)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SNI_PATH      "/StatusNotifierItem"
#define SNI_INTERFACE "org.kde.StatusNotifierItem"

/* org.kde.StatusNotifierWatcher on its own connection to the session bus,
 * as a tray host runs it: it records the items registered. */
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
} FcmTestWatcher;

/* An asynchronous call, waited for on the main loop. */
typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} FcmTestCallResult;

GDBusConnection *fcm_test_session_bus        (void);
GDBusConnection *fcm_test_private_connection (void);
FcmTestWatcher  *fcm_test_watcher_new        (gboolean            reply_service_unknown);
void             fcm_test_watcher_free       (FcmTestWatcher     *watcher);
void             fcm_test_dbus_call_cb       (GObject            *source,
                                              GAsyncResult       *result,
                                              gpointer            user_data);
GVariant        *fcm_test_dbus_call          (GDBusConnection    *connection,
                                              const char         *dest,
                                              const char         *path,
                                              const char         *interface,
                                              const char         *method,
                                              GVariant           *parameters,
                                              const GVariantType *reply_type);
void             fcm_test_dbus_flush         (GDBusConnection    *connection);
GVariant        *fcm_test_item_property      (GDBusConnection    *connection,
                                              const char         *dest,
                                              const char         *name);
char            *fcm_test_item_string        (GDBusConnection    *connection,
                                              const char         *dest,
                                              const char         *name);
gboolean         fcm_test_name_has_owner     (GDBusConnection    *connection,
                                              const char         *name);

G_END_DECLS
