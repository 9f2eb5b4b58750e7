/* fcm-secret.c: the hub token in the Secret Service (libsecret)
 *
 * One secret per hub URL, in the default collection (the login keyring),
 * found by the "hub-url" attribute of the schema below. Everything is
 * asynchronous; the finish functions turn "no Secret Service on the bus"
 * into one clear G_IO_ERROR_NOT_SUPPORTED message that the preferences
 * window shows inline. The token itself is never logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmSecret"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "fcm-secret.h"

static const SecretSchema *
fcm_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.fhircastmonitor.FhircastMonitor.Token",
    SECRET_SCHEMA_NONE,
    {
      { "hub-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* The keyring shows the label to the user (Seahorse): name the host only,
 * never the path, query or user info of the URL, which may carry secrets. */
static char *
make_label (const char *hub_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host = NULL;

  if (hub_url[0] == '\0')
    return g_strdup (_("FHIRcast hub token for the built-in hub"));

  uri = g_uri_parse (hub_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    host = _("an unknown host");

  /* Translators: %s is a host name, like hub.example.org */
  return g_strdup_printf (_("FHIRcast hub token for %s"), host);
}

static gboolean
is_no_service_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  /* Nothing owns (or can activate) org.freedesktop.secrets. */
  if (error->domain == G_DBUS_ERROR)
    return error->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
           error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
           error->code == G_DBUS_ERROR_NO_SERVER ||
           error->code == G_DBUS_ERROR_SPAWN_EXEC_FAILED ||
           error->code == G_DBUS_ERROR_SPAWN_CHILD_EXITED ||
           error->code == G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND ||
           error->code == G_DBUS_ERROR_SPAWN_FAILED;

  /* No session bus at all ("Cannot autolaunch D-Bus without X11 $DISPLAY",
   * "Could not connect: No such file or directory"). */
  return error->domain == G_IO_ERROR;
}

/* Takes @error; returns it to @task in the form the UI shows. */
static void
return_error (GTask  *task,
              GError *error)
{
  if (is_no_service_error (error))
    {
      g_debug ("Secret Service unavailable: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("No keyring is available: the Secret Service (for example GNOME Keyring) is not running"));
      g_error_free (error);
      return;
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s", _("Keyring error: "));

  g_task_return_error (task, error);
}

static void
on_clear_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove: fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_clear (GTask      *task,
             const char *hub_url)
{
  secret_password_clear (fcm_secret_get_schema (), g_task_get_cancellable (task),
                         on_clear_done, task,
                         "hub-url", hub_url,
                         NULL);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fcm_secret_store_token_async:
 * @hub_url: the hub the token belongs to ("" is the built-in hub)
 * @token: the token; an empty string (or %NULL) removes the stored one
 *
 * Stores @token in the default keyring collection, replacing the one for
 * the same @hub_url.
 */
void
fcm_secret_store_token_async (const char          *hub_url,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (hub_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_secret_store_token_async);

  if (token == NULL || token[0] == '\0')
    {
      start_clear (task, hub_url);
      return;
    }

  label = make_label (hub_url);
  secret_password_store (fcm_secret_get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, on_store_done, task,
                         "hub-url", hub_url,
                         NULL);
}

/**
 * fcm_secret_store_token_finish:
 *
 * Returns: %TRUE when the token is stored (or, for an empty token, gone)
 */
gboolean
fcm_secret_store_token_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fcm_secret_store_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

/**
 * fcm_secret_lookup_token_async:
 * @hub_url: the hub whose token to find
 */
void
fcm_secret_lookup_token_async (const char          *hub_url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (hub_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_secret_lookup_token_async);

  secret_password_lookup (fcm_secret_get_schema (), cancellable, on_lookup_done, task,
                          "hub-url", hub_url,
                          NULL);
}

/**
 * fcm_secret_lookup_token_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL without an
 *   error when none is stored for the hub
 */
char *
fcm_secret_lookup_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  char *token;
  char *copy;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fcm_secret_lookup_token_async, NULL);

  token = g_task_propagate_pointer (G_TASK (result), error);
  if (token == NULL)
    return NULL;

  /* Hand out plain g_malloc memory; wipe libsecret's copy. */
  copy = g_strdup (token);
  secret_password_free (token);

  return copy;
}

/**
 * fcm_secret_clear_token_async:
 * @hub_url: the hub whose token to remove
 */
void
fcm_secret_clear_token_async (const char          *hub_url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (hub_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_secret_clear_token_async);

  start_clear (task, hub_url);
}

/**
 * fcm_secret_clear_token_finish:
 *
 * Returns: %TRUE when no token is stored for the hub any more (also when
 *   there was none)
 */
gboolean
fcm_secret_clear_token_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fcm_secret_clear_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
