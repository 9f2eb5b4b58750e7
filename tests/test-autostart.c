/* test-autostart.c: starting the app at login (no display needed)
 *
 * Outside Flatpak: the XDG autostart entry appears in $XDG_CONFIG_HOME
 * (a temporary folder here) and goes again. Inside Flatpak: the request to
 * the Background portal, made to a fake org.freedesktop.portal.Desktop on a
 * private bus (GTestDBus) that answers through a Request object's Response
 * signal, as xdg-desktop-portal does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fcm-autostart.h"

#define TEST_APP_ID "org.example.FcmAutostart"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} SetResult;

static void
set_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SetResult *r = user_data;

  r->ok = fcm_autostart_set_finish (result, &r->error);
  r->done = TRUE;
}

static void
set_and_wait (gboolean   enabled,
              XdpPortal *portal,
              SetResult *r)
{
  r->done = FALSE;
  g_clear_error (&r->error);
  fcm_autostart_set_async (TEST_APP_ID, enabled, portal, NULL, NULL, set_cb, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

/* ------------------------------------------------------------- the file */

static void
test_autostart_file (void)
{
  g_autofree char *path = fcm_autostart_dup_desktop_path (TEST_APP_ID);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *type = NULL;
  SetResult r = { 0 };

  /* $XDG_CONFIG_HOME/autostart/<app id>.desktop; neither folder there yet */
  g_assert_true (g_str_has_prefix (path, g_get_user_config_dir ()));
  g_assert_true (g_str_has_suffix (path, "/autostart/" TEST_APP_ID ".desktop"));
  g_rmdir (g_get_user_config_dir ());
  g_assert_false (g_file_test (g_get_user_config_dir (), G_FILE_TEST_EXISTS));

  set_and_wait (TRUE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  type = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "Application");
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  /* this very program, started in the background */
  g_assert_true (g_str_has_suffix (exec, "/test-autostart --background"));
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);

  /* again: replaced, still one entry */
  set_and_wait (TRUE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  set_and_wait (FALSE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));

  /* nothing to remove is no error */
  set_and_wait (FALSE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

/* A folder we cannot write to: a clear error, no crash. */
static void
test_autostart_file_error (void)
{
  g_autofree char *path = fcm_autostart_dup_desktop_path (TEST_APP_ID);
  g_autofree char *folder = g_path_get_dirname (path);
  SetResult r = { 0 };

  /* a file where the folder should be */
  g_mkdir_with_parents (g_get_user_config_dir (), 0700);
  g_assert_true (g_file_set_contents (folder, "not a folder", -1, NULL));
  set_and_wait (TRUE, NULL, &r);
  g_assert_false (r.ok);
  g_assert_nonnull (r.error);
  g_assert_nonnull (r.error->message);
  g_clear_error (&r.error);
  g_unlink (folder);
}

static void
test_autostart_exec_quoting (void)
{
  g_autofree char *plain = fcm_autostart_build_desktop_entry (TEST_APP_ID, "/usr/bin/fhircast-monitor");
  g_autofree char *spaced = fcm_autostart_build_desktop_entry (TEST_APP_ID, "/opt/my apps/fhircast-monitor");
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = NULL;
  g_auto(GStrv) argv = NULL;

  g_assert_nonnull (strstr (plain, "Exec=/usr/bin/fhircast-monitor --background\n"));
  g_assert_true (g_key_file_load_from_data (entry, spaced, -1, G_KEY_FILE_NONE, NULL));
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, NULL);
  g_assert_cmpstr (exec, ==, "\"/opt/my apps/fhircast-monitor\" --background");
  /* as a launcher splits it */
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, NULL));
  g_assert_cmpstr (argv[0], ==, "/opt/my apps/fhircast-monitor");
  g_assert_cmpstr (argv[1], ==, "--background");
}

/* ------------------------------------------------------------ the portal */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *connection;
  guint            object_id;
  guint            own_id;
  gboolean         owned;
  guint            response;      /* 0 granted, 1 cancelled, 2 other */
  gboolean         grant;         /* what the user allows */
  guint            n_requests;
  GVariant        *options;       /* of the last request */
  char            *parent_window;
  char            *handle;
  char            *sender;
} FakePortal;

static gboolean
respond_cb (gpointer user_data)
{
  FakePortal *portal = user_data;
  GVariantBuilder results;
  g_autoptr(GError) error = NULL;
  gboolean autostart = FALSE;

  g_variant_lookup (portal->options, "autostart", "b", &autostart);
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (portal->grant));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal->grant && autostart));
  /* to the caller only, on its Request object */
  g_dbus_connection_emit_signal (portal->connection, portal->sender, portal->handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", portal->response,
                                                g_variant_builder_end (&results)),
                                 &error);
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static void
portal_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  FakePortal *portal = user_data;
  g_autofree char *unique = g_strdup (sender + 1);
  const char *token = NULL;

  g_assert_cmpstr (method_name, ==, "RequestBackground");
  portal->n_requests++;
  g_clear_pointer (&portal->options, g_variant_unref);
  g_clear_pointer (&portal->parent_window, g_free);
  g_variant_get (parameters, "(s@a{sv})", &portal->parent_window, &portal->options);

  /* the Request object: .../request/SENDER/TOKEN (the portal API) */
  g_assert_true (g_variant_lookup (portal->options, "handle_token", "&s", &token));
  g_strdelimit (unique, ".", '_');
  g_free (portal->handle);
  portal->handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", unique, token);
  g_free (portal->sender);
  portal->sender = g_strdup (sender);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", portal->handle));
  g_idle_add (respond_cb, portal);
}

static GVariant *
portal_get_property (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *object_path,
                     const char       *interface_name,
                     const char       *property_name,
                     GError          **error,
                     gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static void
portal_name_acquired_cb (GDBusConnection *connection,
                         const char      *name,
                         gpointer         user_data)
{
  ((FakePortal *) user_data)->owned = TRUE;
}

static FakePortal *
fake_portal_new (GTestDBus *bus)
{
  static const GDBusInterfaceVTable vtable = { portal_method_call, portal_get_property, NULL, { 0 } };
  FakePortal *portal = g_new0 (FakePortal, 1);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;

  portal->connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                               NULL, NULL, &error);
  g_assert_no_error (error);
  portal->object_id = g_dbus_connection_register_object (portal->connection, "/org/freedesktop/portal/desktop",
                                                         info->interfaces[0], &vtable, portal, NULL, &error);
  g_assert_no_error (error);
  portal->own_id = g_bus_own_name_on_connection (portal->connection, "org.freedesktop.portal.Desktop",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 portal_name_acquired_cb, NULL, portal, NULL);
  while (!portal->owned)
    g_main_context_iteration (NULL, TRUE);
  portal->grant = TRUE;
  return portal;
}

static void
fake_portal_free (FakePortal *portal)
{
  g_bus_unown_name (portal->own_id);
  g_dbus_connection_unregister_object (portal->connection, portal->object_id);
  g_dbus_connection_close_sync (portal->connection, NULL, NULL);
  g_object_unref (portal->connection);
  g_clear_pointer (&portal->options, g_variant_unref);
  g_free (portal->parent_window);
  g_free (portal->handle);
  g_free (portal->sender);
  g_free (portal);
}

static void
test_autostart_portal (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(XdpPortal) xdp = NULL;
  g_autofree char *path = fcm_autostart_dup_desktop_path (TEST_APP_ID);
  g_autofree const char **commandline = NULL;
  FakePortal *portal;
  SetResult r = { 0 };
  gboolean autostart = FALSE;
  const char *reason = NULL;

  g_test_dbus_up (bus);   /* the session bus from now on */
  portal = fake_portal_new (bus);
  xdp = xdp_portal_new ();

  /* enabling: autostart with --background */
  set_and_wait (TRUE, xdp, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (portal->n_requests, ==, 1);
  g_assert_cmpstr (portal->parent_window, ==, "");
  g_assert_true (g_variant_lookup (portal->options, "autostart", "b", &autostart));
  g_assert_true (autostart);
  g_assert_true (g_variant_lookup (portal->options, "commandline", "^a&s", &commandline));
  g_assert_cmpuint (g_strv_length ((char **) commandline), ==, 2);
  g_assert_cmpstr (commandline[0], ==, "fhircast-monitor");
  g_assert_cmpstr (commandline[1], ==, "--background");
  g_assert_true (g_variant_lookup (portal->options, "reason", "&s", &reason));
  g_assert_cmpstr (reason, !=, "");
  /* the portal writes the entry itself, not we */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* disabling: a request without autostart */
  set_and_wait (FALSE, xdp, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (portal->n_requests, ==, 2);
  g_assert_true (g_variant_lookup (portal->options, "autostart", "b", &autostart));
  g_assert_false (autostart);

  /* the user says no */
  portal->grant = FALSE;
  set_and_wait (TRUE, xdp, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (r.ok);

  /* the dialog was dismissed */
  portal->response = 1;
  set_and_wait (TRUE, xdp, &r);
  g_assert_nonnull (r.error);
  g_assert_false (r.ok);
  g_clear_error (&r.error);

  g_clear_object (&xdp);
  fake_portal_free (portal);
  g_test_dbus_down (bus);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/autostart/file", test_autostart_file);
  g_test_add_func ("/autostart/file-error", test_autostart_file_error);
  g_test_add_func ("/autostart/exec-quoting", test_autostart_exec_quoting);
  g_test_add_func ("/autostart/portal", test_autostart_portal);

  return g_test_run ();
}
