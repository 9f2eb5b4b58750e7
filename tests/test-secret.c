/* test-secret.c: the hub token in a real Secret Service (gnome-keyring)
 *
 * Run through tests/run-with-keyring.sh, which gives the test a private
 * session bus with an unlocked gnome-keyring-daemon in temporary XDG
 * directories, and sets FCM_KEYRING_INNER=1. Without that the keyring
 * tests skip, so that running the binary by hand never writes to the
 * user's own keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsecret/secret.h>

#include "fcm-secret.h"
#include "fcm-test-util.h"

#define HUB_A "https://hub-a.example.org/fhircast/hub?tenant=radiology"
#define HUB_B "https://hub-b.example.org:8443/api/hub"

static gboolean
have_keyring (void)
{
  if (g_strcmp0 (g_getenv ("FCM_KEYRING_INNER"), "1") == 0)
    return TRUE;

  g_test_skip ("not run through run-with-keyring.sh");
  return FALSE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  FCM_TEST_WAIT_UNTIL (*result != NULL);
  return *result;
}

static gboolean
store (const char  *hub_url,
       const char  *token,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fcm_secret_store_token_async (hub_url, token, NULL, on_done, &result);
  return fcm_secret_store_token_finish (wait_for (&result), error);
}

static char *
lookup (const char  *hub_url,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fcm_secret_lookup_token_async (hub_url, NULL, on_done, &result);
  return fcm_secret_lookup_token_finish (wait_for (&result), error);
}

static gboolean
clear (const char  *hub_url,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fcm_secret_clear_token_async (hub_url, NULL, on_done, &result);
  return fcm_secret_clear_token_finish (wait_for (&result), error);
}

static void
assert_token (const char *hub_url,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = lookup (hub_url, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

/* The items the keyring holds for @hub_url, as the keyring UI sees them. */
static GList *
search_items (const char *hub_url)
{
  const SecretSchema schema = {
    "io.github.fhircastmonitor.FhircastMonitor.Token", SECRET_SCHEMA_NONE,
    { { "hub-url", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  secret_password_search (&schema, SECRET_SEARCH_ALL, NULL, on_done, &result,
                          "hub-url", hub_url,
                          NULL);
  items = secret_password_search_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  return items;
}

static void
cleanup_hubs (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (clear (HUB_A, &error));
  g_assert_true (clear (HUB_B, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!have_keyring ())
    return;

  assert_token (HUB_A, NULL);

  g_assert_true (store (HUB_A, "token-a-1", &error));
  g_assert_no_error (error);
  assert_token (HUB_A, "token-a-1");

  /* One item, labelled with the host only: the path and query of a hub URL
   * may carry a tenant or a key and show up in keyring managers. */
  items = search_items (HUB_A);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_cmpstr (secret_retrievable_get_label (items->data), ==,
                   "FHIRcast hub token for hub-a.example.org");
  g_list_free_full (items, g_object_unref);

  cleanup_hubs ();
}

static void
test_overwrite (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!have_keyring ())
    return;

  g_assert_true (store (HUB_A, "token-a-1", &error));
  g_assert_true (store (HUB_A, "token-a-2", &error));
  g_assert_no_error (error);
  assert_token (HUB_A, "token-a-2");

  items = search_items (HUB_A);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  cleanup_hubs ();
}

static void
test_clear (void)
{
  g_autoptr(GError) error = NULL;

  if (!have_keyring ())
    return;

  g_assert_true (store (HUB_A, "token-a-1", &error));
  g_assert_true (clear (HUB_A, &error));
  g_assert_no_error (error);
  assert_token (HUB_A, NULL);
  g_assert_null (search_items (HUB_A));

  /* Clearing what is not there is not an error. */
  g_assert_true (clear (HUB_A, &error));
  g_assert_no_error (error);

  /* Storing an empty token clears as well. */
  g_assert_true (store (HUB_A, "token-a-2", &error));
  assert_token (HUB_A, "token-a-2");
  g_assert_true (store (HUB_A, "", &error));
  g_assert_no_error (error);
  assert_token (HUB_A, NULL);
  g_assert_null (search_items (HUB_A));
}

static void
test_hubs_apart (void)
{
  g_autoptr(GError) error = NULL;

  if (!have_keyring ())
    return;

  g_assert_true (store (HUB_A, "token-a", &error));
  g_assert_true (store (HUB_B, "token-b", &error));
  g_assert_no_error (error);
  assert_token (HUB_A, "token-a");
  assert_token (HUB_B, "token-b");

  /* A prefix of a stored hub URL is another hub. */
  assert_token ("https://hub-a.example.org/fhircast/hub", NULL);

  g_assert_true (clear (HUB_A, &error));
  g_assert_no_error (error);
  assert_token (HUB_A, NULL);
  assert_token (HUB_B, "token-b");

  cleanup_hubs ();
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (!have_keyring ())
    return;

  g_assert_true (store (HUB_A, "token-a", &error));

  g_cancellable_cancel (cancellable);
  fcm_secret_lookup_token_async (HUB_A, cancellable, on_done, &result);
  token = fcm_secret_lookup_token_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (token);

  cleanup_hubs ();
}

/* No Secret Service on the bus (here: no bus at all): one clear error the
 * preferences window can show as is. Runs in a subprocess, before anything
 * connected to the real bus. */
static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fcm-test-no-bus", TRUE);

      token = lookup (HUB_A, &error);
      g_assert_null (token);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_assert_nonnull (strstr (error->message, "No keyring is available"));
      g_clear_error (&error);

      g_assert_false (store (HUB_A, "token-a", &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);

      g_assert_false (clear (HUB_A, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The token never reaches a log. */
  g_test_trap_assert_stdout_unmatched ("*token-a*");
  g_test_trap_assert_stderr_unmatched ("*token-a*");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/secret/round-trip", test_round_trip);
  g_test_add_func ("/fcm/secret/overwrite", test_overwrite);
  g_test_add_func ("/fcm/secret/clear", test_clear);
  g_test_add_func ("/fcm/secret/hubs-apart", test_hubs_apart);
  g_test_add_func ("/fcm/secret/cancelled", test_cancelled);
  g_test_add_func ("/fcm/secret/no-service", test_no_service);

  return g_test_run ();
}
