/* fcm-hub-tokens.c: per-application access tokens (--tokens; H-03, H-09)
 *
 * The tokens file has one `[token LABEL]` group per token: its secret,
 * scopes (fhircast/EVENT.read|write|*, and `admin` for the /admin/
 * endpoints), name and expiry. A Token is also
 * what token introspection answers with (fcm-hub-introspect.c). Here too
 * are the scope checks: what a token may subscribe to (read), publish
 * (write) and see in Get Current Context; its expiry also ends the leases
 * it obtained (H-09).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-hub-private.h"

void
_fcm_hub_scope_free (Scope *scope)
{
  g_free (scope->event);
  g_free (scope);
}

void
_fcm_hub_token_free (Token *token)
{
  g_free (token->label);
  if (token->secret != NULL)
    memset (token->secret, 0, strlen (token->secret));
  g_free (token->secret);
  g_free (token->name);
  g_free (token->principal);
  g_ptr_array_unref (token->scopes);
  g_free (token);
}

/* Whether @token may receive (@write FALSE) or send @event_name. */
gboolean
_fcm_hub_token_allows (Token      *token,
                       const char *event_name,
                       gboolean    write)
{
  for (guint i = 0; i < token->scopes->len; i++)
    {
      Scope *scope = g_ptr_array_index (token->scopes, i);

      if ((write ? scope->write : scope->read) &&
          (g_str_equal (scope->event, "*") || fcm_event_name_equal (scope->event, event_name)))
        return TRUE;
    }
  return FALSE;
}

gboolean
_fcm_hub_token_reads_any (Token *token)
{
  for (guint i = 0; i < token->scopes->len; i++)
    if (((Scope *) g_ptr_array_index (token->scopes, i))->read)
      return TRUE;
  return FALSE;
}

/* Every token is compared (in constant time), so the time taken does not
 * tell which one matched. */
Token *
_fcm_hub_find_token (FcmHub     *self,
                     const char *secret)
{
  Token *found = NULL;

  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *token = g_ptr_array_index (self->tokens, i);

      if (_fcm_hub_constant_time_equal (secret, token->secret) && found == NULL)
        found = token;
    }
  return found;
}

gboolean
_fcm_hub_token_expired (Token *token)
{
  return token->expires != G_MAXINT64 && g_get_real_time () >= token->expires;
}

/* fhircast/EVENT.read, .write or .* where EVENT is an event name or a star */
Scope *
_fcm_hub_scope_parse (const char *text)
{
  const char *dot;
  Scope *scope;

  if (!g_str_has_prefix (text, "fhircast/"))
    return NULL;
  text += strlen ("fhircast/");
  dot = strrchr (text, '.');
  if (dot == NULL || dot == text)
    return NULL;
  scope = g_new0 (Scope, 1);
  scope->read = g_str_equal (dot + 1, "read") || g_str_equal (dot + 1, "*");
  scope->write = g_str_equal (dot + 1, "write") || g_str_equal (dot + 1, "*");
  if (!scope->read && !scope->write)
    {
      g_free (scope);
      return NULL;
    }
  scope->event = g_strndup (text, dot - text);
  return scope;
}

static Token *
token_load (GKeyFile    *file,
            const char  *group,
            const char  *path,
            gint64       now,
            GError     **error)
{
  static const char * const known[] = { "secret", "scopes", "name", "expires", "lifetime", NULL };
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func ((GDestroyNotify)_fcm_hub_scope_free);
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *label = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *scope_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *lifetime = NULL;
  gint64 expiry = G_MAXINT64;
  gboolean admin = FALSE;
  Token *token;

  if (!g_str_has_prefix (group, "token ") || _fcm_hub_is_blank (group + strlen ("token ")))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                   _("%s: group “%s” is not “[token LABEL]”"), path, group);
      return NULL;
    }
  label = g_strstrip (g_strdup (group + strlen ("token ")));
  keys = g_key_file_get_keys (file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("%s: [token %s]: unknown key “%s”"), path, label, keys[i]);
        return NULL;
      }

  secret = g_key_file_get_value (file, group, "secret", NULL);
  if (secret == NULL || _fcm_hub_is_blank (secret))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: [token %s]: “secret” is missing or empty"), path, label);
      return NULL;
    }
  scope_text = g_key_file_get_value (file, group, "scopes", NULL);
  parts = g_strsplit_set (scope_text != NULL ? scope_text : "", " \t;", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      Scope *scope;

      if (*parts[i] == '\0')
        continue;
      /* the /admin/ endpoints (--admin): never implied by fhircast/… scopes */
      if (g_str_equal (parts[i], "admin"))
        {
          admin = TRUE;
          continue;
        }
      if ((scope = _fcm_hub_scope_parse (parts[i])) == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: [token %s]: “%s” is not a scope fhircast/EVENT.read|write|* or admin"), path, label,
                       parts[i]);
          return NULL;
        }
      g_ptr_array_add (scopes, scope);
    }
  if (scopes->len == 0 && !admin)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: [token %s]: “scopes” is missing or empty"), path, label);
      return NULL;
    }

  expires = g_key_file_get_value (file, group, "expires", NULL);
  lifetime = g_key_file_get_value (file, group, "lifetime", NULL);
  if (expires != NULL && lifetime != NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: [token %s]: “expires” and “lifetime” exclude each other"), path, label);
      return NULL;
    }
  if (expires != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (g_strstrip (expires), NULL);

      if (dt == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: [token %s]: “expires” is not an ISO 8601 time with a time zone"), path, label);
          return NULL;
        }
      expiry = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
    }
  if (lifetime != NULL)
    {
      guint64 seconds;

      if (!g_ascii_string_to_unsigned (g_strstrip (lifetime), 10, 1, G_MAXINT32, &seconds, NULL))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("%s: [token %s]: “lifetime” is not a number of seconds (1..%d)"), path, label, G_MAXINT32);
          return NULL;
        }
      expiry = now + (gint64)seconds * G_USEC_PER_SEC;
    }

  name = g_key_file_get_value (file, group, "name", NULL);
  if (name != NULL && _fcm_hub_is_blank (name))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: [token %s]: “name” is empty"), path, label);
      return NULL;
    }

  token = g_new0 (Token, 1);
  token->name = name != NULL ? g_strstrip (g_steal_pointer (&name)) : g_strdup (label);
  token->principal = g_strconcat ("token:", label, NULL);
  token->admin = admin;
  token->label = g_steal_pointer (&label);
  token->secret = g_steal_pointer (&secret);
  token->scopes = g_steal_pointer (&scopes);
  token->expires = expiry;
  return token;
}

/**
 * fcm_hub_load_tokens:
 * @path: a key file with one `[token LABEL]` group per access token: `secret`
 *   (required), `scopes` (required, `fhircast/EVENT.read|write|*`, EVENT may
 *   be `*`; separated by spaces or `;`), `name` (default LABEL), and at most
 *   one of `expires` (ISO 8601 with a time zone) or `lifetime` (seconds from
 *   now)
 *
 * From then on every HTTP call needs `Authorization: Bearer SECRET` of a
 * known, unexpired token (the `secret` property is no longer used), and the
 * token's scopes decide what it may subscribe to, publish and read (H-03);
 * leases end no later than the token (H-09). A failed load keeps the old
 * tokens.
 */
gboolean
fcm_hub_load_tokens (FcmHub      *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)_fcm_hub_token_free);
  g_auto(GStrv) groups = NULL;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (FCM_IS_HUB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Token *token = token_load (file, groups[i], path, now, error);

      if (token == NULL)
        return FALSE;
      for (guint j = 0; j < tokens->len; j++)
        {
          Token *other = g_ptr_array_index (tokens, j);

          if (g_str_equal (other->secret, token->secret) || g_str_equal (other->label, token->label))
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("%s: [token %s]: the same %s as [token %s]"), path, token->label,
                           g_str_equal (other->label, token->label) ? "label" : "secret", other->label);
              _fcm_hub_token_free (token);
              return FALSE;
            }
        }
      g_ptr_array_add (tokens, token);
    }
  if (tokens->len == 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND, _("%s: no [token …] groups"), path);
      return FALSE;
    }

  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  self->tokens = g_steal_pointer (&tokens);
  g_debug ("loaded %u access tokens", self->tokens->len);
  return TRUE;
}
