/* fcm-hub-introspect.c: OAuth 2.0 token introspection (--introspect; RFC 7662, H-03)
 *
 * A request whose bearer token has no recent answer is paused while the
 * authorization server is asked (one call per token, however many requests
 * wait for it), then checked again from the cache: before its body is read
 * (paused in the early handler, it then reads on or is refused), or handled
 * again; a failed call answers 503. Answers are cached by the token's SHA-256 for a minute (inactive
 * ones for 10 s); the token itself is kept nowhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-hub-private.h"

#define INTROSPECT_CACHE_S     60      /* an active answer is used this long at most */
#define INTROSPECT_NEGATIVE_S  10      /* an inactive one */
#define INTROSPECT_CACHE_MAX   4096
#define INTROSPECT_MAX_BODY    (64 * 1024)

typedef struct
{
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  gboolean           early;   /* paused before its body was read */
} Waiting;

typedef struct
{
  FcmHub    *hub;
  char      *key;
  GPtrArray *waiting;   /* Waiting* */
} Lookup;

static void
waiting_free (Waiting *w)
{
  g_object_unref (w->msg);
  g_free (w->path);
  g_clear_pointer (&w->query, g_hash_table_unref);
  g_free (w);
}

static void
lookup_free (Lookup *lookup)
{
  g_ptr_array_unref (lookup->waiting);
  g_free (lookup->key);
  g_free (lookup);
}

/* The introspection answer (RFC 7662 §2.2) as a Token; NULL and @failure
 * when it is not one. Scopes other than fhircast/… are ignored. */
static Token *
introspection_parse (GBytes  *body,
                     char   **failure)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  JsonNode *active, *exp;
  const char *scope, *name, *client, *subject;
  Token *token;

  if (size > INTROSPECT_MAX_BODY)
    {
      *failure = g_strdup ("token introspection failed: answer larger than 64 KiB");
      return NULL;
    }
  root = fcm_json_parse (data, size, NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  active = obj != NULL ? json_object_get_member (obj, "active") : NULL;
  if (active == NULL || !JSON_NODE_HOLDS_VALUE (active) || json_node_get_value_type (active) != G_TYPE_BOOLEAN)
    {
      *failure = g_strdup ("token introspection failed: the answer has no boolean \"active\"");
      return NULL;
    }

  token = g_new0 (Token, 1);
  token->scopes = g_ptr_array_new_with_free_func ((GDestroyNotify)_fcm_hub_scope_free);
  token->expires = G_MAXINT64;
  token->inactive = !json_node_get_boolean (active);
  if (token->inactive)
    return token;

  scope = fcm_json_get_string (obj, "scope");
  if (scope != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (scope, " ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          Scope *parsed = _fcm_hub_scope_parse (parts[i]);

          if (parsed != NULL)
            g_ptr_array_add (token->scopes, parsed);
        }
    }
  exp = json_object_get_member (obj, "exp");
  if (exp != NULL && JSON_NODE_HOLDS_VALUE (exp) &&
      (json_node_get_value_type (exp) == G_TYPE_INT64 || json_node_get_value_type (exp) == G_TYPE_DOUBLE))
    {
      double seconds = json_node_get_double (exp);

      if (seconds > 0 && seconds < (double) (G_MAXINT64 / G_USEC_PER_SEC))
        token->expires = (gint64) (seconds * G_USEC_PER_SEC);
    }
  /* who the bearer is: the client first, as it names the application */
  name = fcm_json_get_string (obj, "client_id");
  if (name == NULL)
    name = fcm_json_get_string (obj, "username");
  if (name == NULL)
    name = fcm_json_get_string (obj, "sub");
  token->name = g_strdup (name != NULL ? name : "OAuth client");
  /* the application (its client) and on whose behalf (sub): a refreshed
   * token of the same pair may renew and connect what the old one made */
  client = fcm_json_get_string (obj, "client_id");
  subject = fcm_json_get_string (obj, "sub");
  if (subject == NULL)
    subject = fcm_json_get_string (obj, "username");
  token->principal = g_strdup_printf ("oauth:%s\n%s", client != NULL ? client : "", subject != NULL ? subject : "");
  return token;
}

static void
introspect_cache (FcmHub     *self,
                  const char *key,
                  Token      *token)
{
  gint64 now = g_get_monotonic_time ();

  if (g_hash_table_size (self->introspected) >= INTROSPECT_CACHE_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->introspected);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Token *) value)->cache_until <= now)
          g_hash_table_iter_remove (&iter);
      if (g_hash_table_size (self->introspected) >= INTROSPECT_CACHE_MAX)
        g_hash_table_remove_all (self->introspected);
    }
  token->cache_until = now + (token->inactive ? INTROSPECT_NEGATIVE_S : INTROSPECT_CACHE_S) * G_USEC_PER_SEC;
  g_hash_table_replace (self->introspected, g_strdup (key), token);
}

static void
introspect_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Lookup *lookup = user_data;
  SoupMessage *request = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autofree char *failure = NULL;
  FcmHub *self = lookup->hub;
  Token *token = NULL;

  if (self == NULL)
    {
      lookup_free (lookup);   /* the hub is gone */
      return;
    }

  g_hash_table_steal (self->introspecting, lookup->key);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    failure = g_strdup ("token introspection was reconfigured; try again");
  else if (error != NULL)
    failure = g_strdup_printf ("token introspection failed: %s", error->message);
  else if (soup_message_get_status (request) != SOUP_STATUS_OK)
    failure = g_strdup_printf ("token introspection failed: HTTP %u from the authorization server",
                               soup_message_get_status (request));
  else
    token = introspection_parse (body, &failure);

  if (token != NULL)
    introspect_cache (self, lookup->key, token);
  else
    g_message ("%s", failure);   /* never the token itself */

  for (guint i = 0; i < lookup->waiting->len; i++)
    {
      Waiting *w = g_ptr_array_index (lookup->waiting, i);

      if (w->early)
        {
          /* before its body: refused now, or it reads on (checked again once read) */
          if (failure != NULL)
            {
              soup_message_headers_replace (soup_server_message_get_response_headers (w->msg), "Retry-After", "5");
              _fcm_hub_answer_early (self, w->msg, w->path, SOUP_STATUS_SERVICE_UNAVAILABLE, failure);
            }
          else if (_fcm_hub_early_check (self, w->msg, w->path, w->query))
            soup_server_message_unpause (w->msg);
          continue;
        }
      if (failure != NULL)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (w->msg), "Retry-After", "5");
          _fcm_hub_respond_text (w->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, failure);
        }
      else
        _fcm_hub_handle (self, w->msg, w->path, w->query);   /* answered from the cache now */
      soup_server_message_unpause (w->msg);
    }
  lookup_free (lookup);
}

/* Holds @msg until the authorization server has said what @secret is;
 * requests with the same token share one introspection call. */
static void
hub_introspect (FcmHub            *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                const char        *key,
                const char        *secret,
                gboolean           early)
{
  Lookup *lookup = g_hash_table_lookup (self->introspecting, key);
  Waiting *w = g_new0 (Waiting, 1);
  g_autoptr(SoupMessage) request = NULL;
  SoupMessageHeaders *headers;

  w->msg = g_object_ref (msg);
  w->path = g_strdup (path);
  w->query = query != NULL ? g_hash_table_ref (query) : NULL;
  w->early = early;
  soup_server_message_pause (msg);
  self->request_paused = TRUE;

  if (lookup != NULL)
    {
      g_ptr_array_add (lookup->waiting, w);
      return;
    }
  lookup = g_new0 (Lookup, 1);
  lookup->hub = self;
  lookup->key = g_strdup (key);
  lookup->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify)waiting_free);
  g_ptr_array_add (lookup->waiting, w);
  g_hash_table_insert (self->introspecting, lookup->key, lookup);

  request = soup_message_new_from_encoded_form (SOUP_METHOD_POST, self->introspect_url,
                                                soup_form_encode ("token", secret,
                                                                  "token_type_hint", "access_token",
                                                                  NULL));
  headers = soup_message_get_request_headers (request);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->introspect_auth != NULL)
    soup_message_headers_replace (headers, "Authorization", self->introspect_auth);
  soup_session_send_and_read_async (self->introspect_session, request, G_PRIORITY_DEFAULT,
                                    self->introspect_cancel, introspect_done_cb, lookup);
}

/* Cancels the calls in flight and forgets the endpoint and its client
 * credentials (wiped from memory first). */
static void
introspect_stop (FcmHub *self)
{
  if (self->introspect_cancel != NULL)
    g_cancellable_cancel (self->introspect_cancel);
  g_clear_object (&self->introspect_cancel);
  g_clear_object (&self->introspect_session);
  g_clear_pointer (&self->introspect_url, g_free);
  if (self->introspect_auth != NULL)
    memset (self->introspect_auth, 0, strlen (self->introspect_auth));
  g_clear_pointer (&self->introspect_auth, g_free);
}

void
_fcm_hub_introspect_finalize (FcmHub *self)
{
  if (self->introspecting != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      /* their calls finish after us: they only free themselves */
      g_hash_table_iter_init (&iter, self->introspecting);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((Lookup *) value)->hub = NULL;
    }
  introspect_stop (self);
  g_clear_pointer (&self->introspecting, g_hash_table_unref);
  g_clear_pointer (&self->introspected, g_hash_table_unref);
}

/* With --introspect: the token for @secret from the cache, or a paused
 * request while the authorization server is asked. */
AuthResult
_fcm_hub_introspected_token (FcmHub             *self,
                             SoupServerMessage  *msg,
                             const char         *path,
                             GHashTable         *query,
                             const char         *secret,
                             gboolean            early,
                             Token             **out_token,
                             const char        **out_reason)
{
  g_autofree char *key = NULL;
  Token *token;

  if (secret == NULL || *secret == '\0')
    {
      *out_reason = "missing bearer token";
      return AUTH_REFUSED;
    }
  key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  token = g_hash_table_lookup (self->introspected, key);
  if (token == NULL || g_get_monotonic_time () >= token->cache_until)
    {
      hub_introspect (self, msg, path, query, key, secret, early);
      return AUTH_PAUSED;
    }
  if (token->inactive)
    *out_reason = "bearer token is not active";
  else if (_fcm_hub_token_expired (token))
    *out_reason = "bearer token expired";
  else
    {
      *out_token = token;
      return AUTH_OK;
    }
  return AUTH_REFUSED;
}

/**
 * fcm_hub_set_introspection:
 * @url: (nullable): the authorization server's token introspection endpoint
 *   (RFC 7662), https, or http on a loopback address; %NULL turns it off
 * @client_id: (nullable): the hub's client id there
 * @client_secret: (nullable): its secret (sent as HTTP Basic credentials)
 *
 * Every HTTP call then needs a bearer token that the authorization server
 * says is active; its `scope` (`fhircast/EVENT.read|write`), `exp` and
 * `client_id` act as a --tokens entry would (H-03, H-09). Answers are
 * cached for a minute (inactive ones for 10 s), keyed by the token's
 * SHA-256; the token itself is kept nowhere.
 *
 * Returns: %FALSE with @error for a URL that is not allowed
 */
gboolean
fcm_hub_set_introspection (FcmHub      *self,
                           const char  *url,
                           const char  *client_id,
                           const char  *client_secret,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);

  if (url != NULL)
    {
      const char *scheme, *host;
      g_autoptr(GInetAddress) address = NULL;

      uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
      if (uri == NULL)
        return FALSE;
      scheme = g_uri_get_scheme (uri);
      host = g_uri_get_host (uri);
      if (host != NULL && host[0] == '[')
        host = NULL;
      address = host != NULL ? g_inet_address_new_from_string (host) : NULL;
      if (g_ascii_strcasecmp (scheme, "https") != 0 &&
          !(g_ascii_strcasecmp (scheme, "http") == 0 &&
            ((address != NULL && g_inet_address_get_is_loopback (address)) ||
             g_strcmp0 (host, "localhost") == 0)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("the introspection endpoint must be https (or http on a loopback address): %s"), url);
          return FALSE;
        }
      if (client_secret != NULL && client_id == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("an introspection client secret needs a client id"));
          return FALSE;
        }
    }

  introspect_stop (self);
  g_hash_table_remove_all (self->introspected);
  if (url == NULL)
    return TRUE;

  self->introspect_url = g_strdup (url);
  if (client_id != NULL)
    {
      /* RFC 6749 §2.3.1: form-encoded, then Basic */
      g_autofree char *id = g_uri_escape_string (client_id, NULL, FALSE);
      g_autofree char *secret = g_uri_escape_string (client_secret != NULL ? client_secret : "", NULL, FALSE);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->introspect_auth = g_strconcat ("Basic ", encoded, NULL);
      memset (pair, 0, strlen (pair));
      memset (secret, 0, strlen (secret));
    }
  self->introspect_session = soup_session_new_with_options ("timeout", 10, "idle-timeout", 60, NULL);
  self->introspect_cancel = g_cancellable_new ();
  return TRUE;
}
