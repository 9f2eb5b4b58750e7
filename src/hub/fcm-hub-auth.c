/* fcm-hub-auth.c: who may call the hub (H-03)
 *
 * Every HTTP call, discovery included, goes through _fcm_hub_authenticate():
 * no secret at all, the static secret, a --tokens token (fcm-hub-tokens.c)
 * or an introspected one (fcm-hub-introspect.c); first from the headers,
 * before the body is read (_fcm_hub_early_check()), then again when the
 * request is handled. A WebSocket upgrade needs the token of the
 * application that subscribed when tokens are on (fcm-hub-http.c); else
 * its endpoint id is the ticket (H-02, C-09). /admin/ has its own
 * credential (fcm-hub-admin.c).
 *
 * Also the 2019 prototype's GetTopic (--users): GET
 * /gettopic?username=U&secret=S answers the topic of U's radiologist. It
 * carries the secret or token in its query and is checked here the same
 * ways.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-hub-private.h"

gboolean
_fcm_hub_constant_time_equal (const char *a,
                              const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < lb; i++)
    diff |= (guint8)(a[i % (la ? la : 1)] ^ b[i]);
  return diff == 0 && la == lb;
}

/*
 * _fcm_hub_authenticate:
 * @early: called before the body is read (a request waiting for token
 *   introspection then resumes reading instead of being handled again)
 * @out_token: (out): with --tokens or --introspect, the caller's token
 * @refusal: (out): why not, when it returns AUTH_REFUSED
 *
 * Who calls, from the headers alone (H-03): nobody needs to say without
 * auth; else the static secret, a known unexpired --tokens token, or a
 * token the introspection endpoint calls active.
 */
AuthResult
_fcm_hub_authenticate (FcmHub             *self,
                       SoupServerMessage  *msg,
                       const char         *path,
                       GHashTable         *query,
                       gboolean            early,
                       Token             **out_token,
                       AuthRefusal        *refusal)
{
  const char *auth;
  gboolean bearer;

  *out_token = NULL;
  refusal->status = SOUP_STATUS_UNAUTHORIZED;
  refusal->reason = "missing or wrong bearer token";
  refusal->challenge = "Bearer";
  if (self->tokens == NULL && self->introspect_url == NULL && (self->secret == NULL || *self->secret == '\0'))
    return AUTH_OK;

  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  bearer = auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0;
  if (self->introspect_url != NULL)
    {
      AuthResult result = _fcm_hub_introspected_token (self, msg, path, query, bearer ? auth + 7 : NULL, early,
                                                       out_token, &refusal->reason);

      if (result == AUTH_REFUSED && bearer)
        refusal->challenge = "Bearer error=\"invalid_token\"";
      return result;
    }
  if (self->tokens != NULL)
    {
      Token *token = NULL;

      if (!bearer)
        refusal->reason = "missing bearer token";
      else if ((token = _fcm_hub_find_token (self, auth + 7)) == NULL)
        refusal->reason = "unknown bearer token";
      else if (_fcm_hub_token_expired (token))
        refusal->reason = "bearer token expired";
      else
        {
          *out_token = token;
          return AUTH_OK;
        }
      return AUTH_REFUSED;
    }
  if (bearer && _fcm_hub_constant_time_equal (auth + 7, self->secret))
    return AUTH_OK;
  return AUTH_REFUSED;
}

/* Answers @msg with the refusal. */
void
_fcm_hub_refuse (SoupServerMessage *msg,
                 AuthRefusal       *refusal)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (refusal->challenge != NULL)
    soup_message_headers_replace (headers, "WWW-Authenticate", refusal->challenge);
  if (refusal->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (headers, "Retry-After", "5");
  _fcm_hub_respond_text (msg, refusal->status, refusal->reason);
}

/* Without --tokens: the static secret, if any. With --tokens: a known,
 * unexpired token, returned in @out_token (H-03). FALSE when @msg was
 * answered (or waits for introspection). */
gboolean
_fcm_hub_check_auth (FcmHub             *self,
                     SoupServerMessage  *msg,
                     const char         *path,
                     GHashTable         *query,
                     Token             **out_token)
{
  AuthRefusal refusal = { 0, };

  switch (_fcm_hub_authenticate (self, msg, path, query, FALSE, out_token, &refusal))
    {
    case AUTH_OK:
      if (self->audit_rec != NULL)
        self->audit_rec->token = *out_token;
      return TRUE;
    case AUTH_PAUSED:
      return FALSE;
    case AUTH_REFUSED:
    default:
      _fcm_hub_refuse (msg, &refusal);
      return FALSE;
    }
}

/* ------------------------------------------------------------------------ */
/* 2019 prototype GetTopic (--users)                                        */

/* `GET /gettopic?username=U&secret=S` (also `/authenticate`, and both below
 * `/api/hub/`): the topic of U's radiologist as a bare text/plain body. */
gboolean
_fcm_hub_is_gettopic_path (const char *path)
{
  if (g_str_has_prefix (path, "/api/hub/"))
    path += strlen ("/api/hub");
  return g_str_equal (path, "/gettopic") || g_str_equal (path, "/authenticate");
}

void
_fcm_hub_handle_gettopic (FcmHub            *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query)
{
  const char *username = query != NULL ? g_hash_table_lookup (query, "username") : NULL;
  const char *secret = query != NULL ? g_hash_table_lookup (query, "secret") : NULL;
  const char *topic;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use GET");
      return;
    }
  if (self->introspect_url != NULL)
    {
      Token *token = NULL;
      const char *reason = NULL;

      switch (_fcm_hub_introspected_token (self, msg, path, query, secret, FALSE, &token, &reason))
        {
        case AUTH_OK:
          break;
        case AUTH_PAUSED:
          return;
        case AUTH_REFUSED:
        default:
          _fcm_hub_respond_text (msg, SOUP_STATUS_UNAUTHORIZED, reason);
          return;
        }
    }
  else if (self->tokens != NULL)
    {
      Token *token = secret != NULL ? _fcm_hub_find_token (self, secret) : NULL;

      if (token == NULL || _fcm_hub_token_expired (token))
        {
          _fcm_hub_respond_text (msg, SOUP_STATUS_UNAUTHORIZED, "unknown or expired token");
          return;
        }
    }
  else if (self->secret != NULL && *self->secret != '\0' &&
           (secret == NULL || !_fcm_hub_constant_time_equal (secret, self->secret)))
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_UNAUTHORIZED, "wrong secret");
      return;
    }
  if (username == NULL || *username == '\0')
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_BAD_REQUEST, "username is required");
      return;
    }
  topic = g_hash_table_lookup (self->users, username);
  if (topic == NULL)
    {
      _fcm_hub_respond_text (msg, SOUP_STATUS_NOT_FOUND, "unknown user");
      return;
    }
  _fcm_hub_respond_text (msg, SOUP_STATUS_OK, topic);
}

/**
 * fcm_hub_load_users:
 * @path: a key file; each group is one radiologist, its `users` key lists the
 *   user names (one per application) that share that radiologist's topic
 *
 * Enables the 2019 prototype's `GET /gettopic` (and `/authenticate`). Every
 * group gets a fresh topic from the OS CSPRNG. Replaces earlier users.
 */
gboolean
fcm_hub_load_users (FcmHub      *self,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return FALSE;

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *topic = _fcm_hub_random_uuid ();
      g_auto(GStrv) names = g_key_file_get_string_list (file, groups[i], "users", NULL, error);

      if (names == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      for (guint j = 0; names[j] != NULL; j++)
        {
          g_strstrip (names[j]);
          if (*names[j] == '\0')
            continue;
          if (g_hash_table_contains (users, names[j]))
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("%s: user “%s” is listed twice"), path, names[j]);
              return FALSE;
            }
          g_hash_table_insert (users, g_strdup (names[j]), g_strdup (topic));
        }
    }
  if (g_hash_table_size (users) == 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND, _("%s: no users"), path);
      return FALSE;
    }

  g_clear_pointer (&self->users, g_hash_table_unref);
  self->users = g_steal_pointer (&users);
  g_debug ("loaded %u users in %u groups", g_hash_table_size (self->users), g_strv_length (groups));
  return TRUE;
}

/**
 * fcm_hub_get_user_topic:
 *
 * Returns: (nullable): the topic GetTopic answers for @username
 */
const char *
fcm_hub_get_user_topic (FcmHub     *self,
                        const char *username)
{
  g_return_val_if_fail (FCM_IS_HUB (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);
  return self->users != NULL ? g_hash_table_lookup (self->users, username) : NULL;
}
